// The export as one Node stream pipeline, from the Scan pages to the response body:
//   Readable.from(Scan pages) → CSV records → (gzip) → Readable.toWeb → Response
// Every stage holds at most about one page, and a stage reads from the one before only when its own
// reader takes data, so a slow client slows the Scan instead of filling memory (backpressure).
// A DynamoDB failure after the first page errors the pipeline, and the errored body aborts the
// transfer (no clean end of the chunked body), so a partial file never looks complete.
// The export has a time budget (BIKES_BUDGET_MS): one that cannot finish within it is cut off the
// same way, so no request holds a function slot longer, and a whole export is stored at the edge
// (decision 028).
import "server-only";
import { pipeline, Readable, Transform } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import zlib from "node:zlib";
import {
  BIKE_CSV_HEADER,
  bikeCsvRecords,
  EXPORT_FORMATS,
  EXPORT_PATH,
  type ExportFormat,
  exportFileName,
} from "./bike-export";
import { type BikePage, exportBikePages } from "./catalog";
import { config } from "./config";
import { catalogCacheHeaders } from "./edge-cache";
import { describeScanFailure, failedBeforeFirstByte, logScanFailure } from "./scan-failure";

/**
 * The whole catalog as a CSV (or gzipped CSV) download. The first Scan page is read before the
 * response starts, so a DynamoDB that fails at once gets a 503 instead of a 200 that breaks off.
 */
export async function exportResponse(
  format: ExportFormat,
  {
    signal,
    requestId,
    now = new Date(),
    budgetMs = config().budget.ms,
  }: { signal: AbortSignal; requestId: string; now?: Date; budgetMs?: number },
): Promise<Response> {
  const startedAt = performance.now();
  const route = `${EXPORT_PATH}.${format}`;
  // The time budget also aborts the Scan request in flight.
  const overBudget = AbortSignal.timeout(budgetMs);
  const pages = exportBikePages(AbortSignal.any([signal, overBudget]));
  let first: IteratorResult<BikePage, void>;
  try {
    first = await pages.next();
  } catch (error) {
    if (signal.aborted) throw error;
    const { failure, status, headers } = failedBeforeFirstByte({ route, requestId, error });
    const retry = status === 503 ? ", try again" : "";
    return Response.json(
      { error: failure.code, message: `${failure.reason}; nothing was exported${retry}. Request id ${requestId}.` },
      { status, headers },
    );
  }

  let pagesServed = 0;
  let bikesServed = 0;
  let scanError: unknown;
  async function* scan(): AsyncGenerator<BikePage, void, undefined> {
    try {
      if (first.done) return;
      yield first.value;
      for await (const page of pages) {
        if (performance.now() - startedAt > budgetMs) throw new ExportBudgetError(budgetMs);
        yield page;
      }
    } catch (error) {
      scanError = overBudget.aborted && !signal.aborted ? new ExportBudgetError(budgetMs) : error;
      throw scanError;
    }
  }

  // highWaterMark 1: the Scan runs at most one page ahead of the CSV stage.
  const source = Readable.from(scan(), { objectMode: true, highWaterMark: 1 });
  const toCsv = new Transform({
    writableObjectMode: true,
    writableHighWaterMark: 1,
    transform(page: BikePage, _encoding, done) {
      pagesServed++;
      bikesServed += page.items.length;
      done(null, bikeCsvRecords(page.items));
    },
  });
  toCsv.push(BIKE_CSV_HEADER);
  const settled = (error: NodeJS.ErrnoException | null) => {
    // A reader that leaves also errors the pipeline (premature close); only DynamoDB's error is logged.
    if (error && scanError instanceof ExportBudgetError) {
      console.error(
        JSON.stringify({
          level: "error",
          event: "export_over_budget",
          route,
          requestId,
          budgetMs,
          pagesServed,
          bikesServed,
        }),
      );
    } else if (error && scanError !== undefined && !signal.aborted) {
      logScanFailure({ route, requestId, pagesServed, bikesServed, failure: describeScanFailure(scanError) });
    }
  };
  const output: Readable =
    format === "csv.gz" ? pipeline(source, toCsv, zlib.createGzip(), settled) : pipeline(source, toCsv, settled);

  return new Response(Readable.toWeb(output) as NodeReadableStream<Uint8Array> as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": EXPORT_FORMATS[format].contentType,
      "content-disposition": `attachment; filename="${exportFileName(format, now)}"`,
      ...catalogCacheHeaders(),
    },
  });
}

/** The export did not finish within its time budget: the transfer is cut off, never passed off as whole. */
export class ExportBudgetError extends Error {
  override name = "ExportBudgetError";
  constructor(budgetMs: number) {
    super(`the export did not finish within its ${budgetMs} ms budget`);
  }
}
