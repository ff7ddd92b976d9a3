// What the reader's own browser measured of a catalog page loading in a same-origin <iframe>: the
// iframe document's Navigation Timing entry (response start and end, bytes), its paint timing, and
// the first frame in which the first and the last row were rendered. Every time is in ms from the
// iframe's own navigation start (its performance.timeOrigin), as the Navigation Timing entry is.
//
// "Inserted" is not "visible": React 19 streams each Suspense boundary's rows into a hidden
// container and moves them into the table later (its `$RC` reveal, throttled to ~300 ms apart). So a
// row counts once `checkVisibility()` is true for it in an animation frame, and never before the
// document's first contentful paint, before which nothing of it is on screen.

/** The catalog's markers (components/catalog): a data row, and the closing line streamed last. */
const ROW = "[data-bike-id]";
const SUMMARY_ID = "catalog-summary";
/** Set by HydrationMarker (components/ui) once React has hydrated the page. */
const HYDRATION_MARK = "firstbyte:hydrated";

export interface FrameFigures {
  /** Time to first byte of the document, as the browser saw it. */
  responseStart: number;
  /** Last byte of the document. */
  responseEnd: number;
  firstRowVisible: number;
  lastRowVisible: number;
  /** Bytes on the wire: headers and the (possibly compressed) body (Navigation Timing transferSize). */
  transferBytes: number;
  /** The body after decompression. */
  decodedBytes: number;
  /** Bikes the page says it shows (`data-count` of its closing line). */
  rows: number;
}

/** What is known so far; the watcher reports each figure as soon as it has it. */
export type PartialFigures = Partial<FrameFigures>;

export class FrameMeasureError extends Error {
  override name = "FrameMeasureError";
}

export interface WatchOptions {
  /** Called whenever a new figure is known. */
  onProgress?: (figures: PartialFigures) => void;
  signal: AbortSignal;
  /** Give up after this long (ms); default 120 s. */
  timeout?: number;
}

/**
 * Navigates `iframe` to `url` and resolves with its figures once the page is complete: the closing
 * line and the last row rendered, the load event over and the page hydrated. Call it before the
 * iframe has a document of its own (a fresh <iframe> without src): the first frame is watched.
 */
export function measureFrame(iframe: HTMLIFrameElement, url: string, options: WatchOptions): Promise<FrameFigures> {
  const { onProgress, signal, timeout = 120_000 } = options;
  return new Promise((resolve, reject) => {
    let frameRequest = 0;
    let loaded = false;
    let lastRow: Element | null = null;
    const seen: PartialFigures = {};
    const startedAt = performance.now();

    const stop = (error?: Error, figures?: FrameFigures) => {
      cancelAnimationFrame(frameRequest);
      iframe.removeEventListener("load", onLoad);
      signal.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else if (figures) resolve(figures);
    };
    const onLoad = () => {
      loaded = true;
    };
    const onAbort = () => stop(new FrameMeasureError("stopped"));
    const report = (figures: PartialFigures) => {
      Object.assign(seen, figures);
      onProgress?.({ ...seen });
    };

    const frame = (now: number) => {
      frameRequest = requestAnimationFrame(frame);
      const document = iframe.contentDocument;
      const view = iframe.contentWindow;
      if (!document || !view) {
        // A same-origin document is always readable; null after load is a refused or failed navigation.
        if (loaded)
          stop(
            new FrameMeasureError(
              `${url} could not be shown in a frame: it must allow same-origin framing (frame-ancestors 'self')`,
            ),
          );
        return;
      }
      if (document.URL === "about:blank") return; // the navigation has not committed yet
      // This frame's time on the iframe's clock (its time origin is its own navigation start).
      const at = performance.timeOrigin + now - view.performance.timeOrigin;
      const navigation = view.performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;

      if (seen.responseStart === undefined && navigation && navigation.responseStart > 0)
        report({ responseStart: navigation.responseStart });
      if (navigation && navigation.responseStatus >= 400) {
        stop(new FrameMeasureError(`${url} answered ${navigation.responseStatus}`));
        return;
      }
      // React reveals boundaries in document order and appends hidden containers after the page,
      // so the first row in the document is the first one revealed.
      if (seen.firstRowVisible === undefined && document.querySelector(ROW)?.checkVisibility())
        report({ firstRowVisible: at });
      const summary = document.getElementById(SUMMARY_ID);
      if (summary && seen.lastRowVisible === undefined) {
        // Every row is in the DOM once the closing line is (it is streamed last). Hydration may
        // replace nodes, so a disconnected one is looked up again.
        if (!lastRow?.isConnected) {
          const rows = document.querySelectorAll(ROW);
          lastRow = rows.length > 0 ? rows[rows.length - 1]! : null;
        }
        if (summary.checkVisibility() && (lastRow === null || lastRow.checkVisibility()))
          report({ lastRowVisible: at, rows: Number(summary.dataset.count ?? 0) });
      }
      const hydrated = view.performance.getEntriesByName(HYDRATION_MARK, "mark").length > 0;
      if (seen.lastRowVisible !== undefined && navigation && navigation.loadEventEnd > 0 && hydrated) {
        stop(undefined, complete(view.performance, navigation));
        return;
      }
      if (loaded && navigation && navigation.loadEventEnd > 0 && !summary && hydrated) {
        stop(new FrameMeasureError(`${url} finished loading without the catalog's closing line`));
        return;
      }
      if (now - startedAt > timeout)
        stop(new FrameMeasureError(`${url} did not finish in ${Math.round(timeout / 1000)} s`));
    };

    const complete = (timing: Performance, navigation: PerformanceNavigationTiming): FrameFigures => {
      // Nothing of a document is on screen before its first contentful paint.
      const painted = timing.getEntriesByName("first-contentful-paint", "paint")[0]?.startTime ?? 0;
      const figures: FrameFigures = {
        responseStart: navigation.responseStart,
        responseEnd: navigation.responseEnd,
        firstRowVisible: Math.max(seen.firstRowVisible ?? 0, painted),
        lastRowVisible: Math.max(seen.lastRowVisible ?? 0, painted),
        transferBytes: navigation.transferSize,
        decodedBytes: navigation.decodedBodySize,
        rows: seen.rows ?? 0,
      };
      report(figures);
      return figures;
    };

    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    iframe.addEventListener("load", onLoad);
    frameRequest = requestAnimationFrame(frame);
    iframe.src = url;
  });
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
