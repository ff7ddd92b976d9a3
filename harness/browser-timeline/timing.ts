// What a browser sees of a streamed page, in order: the first byte, the shell, the first and the
// last row (each both inserted into the DOM and actually rendered), the end of the document and
// hydration. Every time is in ms on the page's own performance.now() clock, whose origin is the
// navigation start, so the navigation timing entry and our marks line up without conversion.
//
// Why "inserted" and "visible" are recorded apart: React 19 streams each Suspense boundary's
// content into a hidden container (`<table hidden id="S:n">` here, `<div hidden>` elsewhere) and
// moves it into place later with `$RC`/`$RV`, and it throttles those reveals to about 300 ms apart
// (react-dom's inline `$RV` script, `$RT + 300`). A row can sit in the DOM, invisible, for a while.
import type { Page, TestInfo } from "@playwright/test";
import type { PageTimeline } from "./page-timeline";
import { renderTimelineSvg } from "./timeline-chart";

export interface TimelineOptions {
  /** Chart label; default: the URL's path and query. */
  label?: string;
  /** The element that is the shell; default `#catalog`. */
  shellSelector?: string;
  /** A data row; default `[data-bike-id]`. */
  rowSelector?: string;
  /** The last row is the last element this matches in document order when `doneSelector` first appears; default `rowSelector`. */
  lastRowSelector?: string;
  /** Appears once every row has been sent; the recording waits until it is rendered. Default `#catalog-summary`. */
  doneSelector?: string;
  /** The performance mark set when the page has hydrated; default `firstbyte:hydrated`. */
  hydrationMark?: string;
  /**
   * How long to wait for the page to finish (last row and summary rendered, load, hydration);
   * default 60 s, below the suite's 90 s test timeout so that a page that never finishes fails
   * with what was recorded so far rather than with a bare test timeout.
   */
  timeout?: number;
}

interface RecorderConfig {
  shell: string;
  row: string;
  lastRow: string;
  done: string;
}

/** What the init script keeps on `window.__firstbyteTimeline`; null until it happened. */
interface RecorderState {
  shellInserted: number | null;
  shellVisible: number | null;
  firstRowInserted: number | null;
  firstRowVisible: number | null;
  lastRowInserted: number | null;
  lastRowVisible: number | null;
  doneInserted: number | null;
  doneVisible: number | null;
  /** Main-thread time of the recorder's mutation callbacks, so its cost shows next to what it measures. */
  recorderMs: number;
}

declare global {
  interface Window {
    __firstbyteTimeline?: RecorderState;
  }
}

/**
 * Runs in the page before any HTML is parsed (Playwright init scripts run when the document is
 * created). It must be self-contained: Playwright sends its source text to the browser.
 */
function installTimelineRecorder(config: RecorderConfig): void {
  if (window !== window.top || window.__firstbyteTimeline) return;
  const state: RecorderState = {
    shellInserted: null,
    shellVisible: null,
    firstRowInserted: null,
    firstRowVisible: null,
    lastRowInserted: null,
    lastRowVisible: null,
    doneInserted: null,
    doneVisible: null,
    recorderMs: 0,
  };
  window.__firstbyteTimeline = state;
  let shell: Element | null = null;
  let lastRow: Element | null = null;
  let done: Element | null = null;
  // When each row that was ever the last one in document order first appeared. Rows are streamed
  // in order and React appends its hidden containers at the end of <body>, so the newest row is
  // always the last one, and the final last row's entry is when the final row count was reached.
  const lastRowSeenAt = new WeakMap<Element, number>();

  // The last row in document order, walking back from the end of the document. Behind the newest
  // row there are only its own cells and a few <script> elements, so this visits tens of elements,
  // where a document-wide query would visit every row on every mutation batch.
  const newestRow = (): Element | null => {
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT);
    while (walker.lastChild());
    let node: Node | null = walker.currentNode;
    for (let visited = 0; node && visited < 10_000; visited++, node = walker.previousNode()) {
      if ((node as Element).matches(config.lastRow)) return node as Element;
    }
    return null;
  };
  const lastInDocument = (selector: string): Element | null => {
    const all = document.querySelectorAll(selector);
    return all.length > 0 ? all[all.length - 1]! : null;
  };

  type Tracked = "shell" | "firstRow" | "lastRow" | "done";
  const visibleKey = {
    shell: "shellVisible",
    firstRow: "firstRowVisible",
    lastRow: "lastRowVisible",
    done: "doneVisible",
  } as const;
  const tracked: Tracked[] = ["shell", "firstRow", "lastRow", "done"];
  // React appends hidden containers after the page content, so the first row in document order
  // is a revealed one as soon as any row is revealed.
  const elementOf = (what: Tracked): Element | null =>
    what === "shell"
      ? shell
      : what === "firstRow"
        ? state.firstRowInserted === null
          ? null
          : document.querySelector(config.row)
        : what === "lastRow"
          ? lastRow
          : done;
  // When a tracked element left React's hidden containers (`hidden` attribute, <template>), seen in
  // a mutation batch without touching style; the next animation frame confirms it is rendered.
  const leftHiddenAt: Record<Tracked, number | null> = { shell: null, firstRow: null, lastRow: null, done: null };

  const onMutations = (at: number) => {
    if (state.shellInserted === null) {
      shell = document.querySelector(config.shell);
      if (shell) state.shellInserted = at;
    }
    if (state.firstRowInserted === null && document.querySelector(config.row)) state.firstRowInserted = at;
    if (state.doneInserted === null) {
      const newest = newestRow();
      if (newest && !lastRowSeenAt.has(newest)) lastRowSeenAt.set(newest, at);
      // Every row is in the DOM once the closing element is (it is streamed last), even if the
      // last ones still wait in a hidden container. An id selector (the default) is a hash lookup.
      done = document.querySelector(config.done);
      if (done) {
        state.doneInserted = at;
        lastRow = lastInDocument(config.lastRow);
        state.lastRowInserted = lastRow ? (lastRowSeenAt.get(lastRow) ?? at) : null;
      }
    }
    // Hydration can replace nodes that did not match; then the element is looked up again.
    if (shell && !shell.isConnected) shell = document.querySelector(config.shell);
    if (lastRow && !lastRow.isConnected) lastRow = lastInDocument(config.lastRow);
    if (done && !done.isConnected) done = document.querySelector(config.done);
    for (const what of tracked) {
      if (state[visibleKey[what]] !== null || leftHiddenAt[what] !== null) continue;
      const element = elementOf(what);
      if (element && !element.closest("[hidden], template")) leftHiddenAt[what] = at;
    }
  };
  // checkVisibility() is false inside a `hidden` (display: none) container, so a streamed row
  // only counts once React has moved it into the table. It needs up-to-date style, which the
  // browser computes for every frame anyway; forcing it on each mutation batch instead cost
  // 60–230 ms of main thread per page in trials.
  const onFrame = (at: number) => {
    for (const what of tracked) {
      if (state[visibleKey[what]] !== null) continue;
      if (elementOf(what)?.checkVisibility()) state[visibleKey[what]] = leftHiddenAt[what] ?? at;
      else leftHiddenAt[what] = null;
    }
  };
  const allVisible = () => tracked.every((what) => state[visibleKey[what]] !== null);

  // The records themselves are not read: a page of 2,000 rows is ~50,000 inserted nodes, and
  // touching each one cost ~100–200 ms of main thread in trials. One look per batch is enough.
  new MutationObserver(() => {
    const at = performance.now();
    onMutations(at);
    state.recorderMs += performance.now() - at;
  }).observe(document, { childList: true, subtree: true });

  // Also every animation frame until everything is visible: reveals that move no node (a `hidden`
  // attribute removed, a style sheet arriving) show up only there.
  const frame = () => {
    onFrame(performance.now());
    if (!allVisible()) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** The init script's state plus what the browser itself measured, read once the page is done. */
interface CollectedTimeline {
  state: RecorderState;
  responseStart: number;
  domContentLoaded: number;
  load: number;
  hydrated: number | null;
  rows: number;
  firstPaint: number | null;
  firstContentfulPaint: number | null;
}

export class TimelineError extends Error {
  override name = "TimelineError";
}

/**
 * Loads `url` in `page` and records its timeline. Resolves once the closing element and the last
 * row are rendered, the load event has run and the page has hydrated.
 */
export async function recordPageTimeline(
  page: Page,
  url: string,
  options: TimelineOptions = {},
): Promise<PageTimeline> {
  const rowSelector = options.rowSelector ?? "[data-bike-id]";
  const config: RecorderConfig = {
    shell: options.shellSelector ?? "#catalog",
    row: rowSelector,
    lastRow: options.lastRowSelector ?? rowSelector,
    done: options.doneSelector ?? "#catalog-summary",
  };
  const hydrationMark = options.hydrationMark ?? "firstbyte:hydrated";
  const timeout = options.timeout ?? 60_000;
  const recorder = await page.addInitScript(installTimelineRecorder, config);
  try {
    const response = await page.goto(url, { waitUntil: "commit", timeout });
    if (!response) throw new TimelineError(`${url}: the navigation produced no response`);
    try {
      await page.waitForFunction(
        (mark) => {
          const state = window.__firstbyteTimeline;
          const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return (
            !!state &&
            state.doneVisible !== null &&
            state.lastRowVisible !== null &&
            (navigation?.loadEventEnd ?? 0) > 0 &&
            performance.getEntriesByName(mark, "mark").length > 0
          );
        },
        hydrationMark,
        { timeout, polling: 100 },
      );
    } catch (error) {
      const partial = await page.evaluate(() => window.__firstbyteTimeline).catch(() => undefined);
      throw new TimelineError(
        `${url} did not finish (closing element and last row rendered, load, hydration): ${error instanceof Error ? error.message.split("\n")[0] : String(error)}; recorded so far: ${JSON.stringify(partial ?? null)}`,
      );
    }
    const collected = await page.evaluate(
      ({ mark, row }): CollectedTimeline => {
        const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const paintAt = (name: string) => performance.getEntriesByName(name, "paint")[0]?.startTime ?? null;
        let rows = 0;
        for (const element of document.querySelectorAll(row)) if (element.checkVisibility()) rows++;
        return {
          state: window.__firstbyteTimeline!,
          responseStart: navigation.responseStart,
          domContentLoaded: navigation.domContentLoadedEventStart,
          load: navigation.loadEventStart,
          hydrated: performance.getEntriesByName(mark, "mark")[0]?.startTime ?? null,
          rows,
          firstPaint: paintAt("first-paint"),
          firstContentfulPaint: paintAt("first-contentful-paint"),
        };
      },
      { mark: hydrationMark, row: rowSelector },
    );
    const finalUrl = new URL(page.url());
    return toTimeline(
      options.label ?? `${finalUrl.pathname}${finalUrl.search}`,
      finalUrl.href,
      response.status(),
      collected,
    );
  } finally {
    await recorder.dispose();
  }
}

function toTimeline(label: string, url: string, status: number, collected: CollectedTimeline): PageTimeline {
  const { state } = collected;
  const required = (name: string, value: number | null): number => {
    if (value === null) throw new TimelineError(`${url}: no ${name} was recorded`);
    return value;
  };
  // A rendered element is on screen at the first paint after it was rendered at the earliest: the
  // render-blocking style sheet keeps the whole page unpainted until then.
  const painted = collected.firstContentfulPaint ?? collected.firstPaint ?? 0;
  const visible = (name: string, value: number | null) => Math.max(required(name, value), painted);
  return {
    label,
    url,
    status,
    navigationStart: 0,
    responseStart: collected.responseStart,
    domContentLoaded: collected.domContentLoaded,
    load: collected.load,
    shell: {
      inserted: required("shell insertion", state.shellInserted),
      visible: visible("shell visibility", state.shellVisible),
    },
    firstRow: {
      inserted: required("first row insertion", state.firstRowInserted),
      visible: visible("first row visibility", state.firstRowVisible),
    },
    lastRow: {
      inserted: required("last row insertion", state.lastRowInserted),
      visible: visible("last row visibility", state.lastRowVisible),
    },
    hydrated: required("hydration mark", collected.hydrated),
    rows: collected.rows,
    paint: { firstPaint: collected.firstPaint, firstContentfulPaint: collected.firstContentfulPaint },
    recorderMs: state.recorderMs,
  };
}

/** Attaches the chart (timeline.svg) and the numbers (timeline.json) to the test's report. */
export async function attachTimelines(testInfo: TestInfo, timelines: PageTimeline[]): Promise<void> {
  if (timelines.length === 0) return;
  await testInfo.attach("timeline.svg", { body: renderTimelineSvg(timelines), contentType: "image/svg+xml" });
  await testInfo.attach("timeline.json", {
    body: `${JSON.stringify(timelines, null, 2)}\n`,
    contentType: "application/json",
  });
}
