// The export as one Node stream pipeline, from the Scan pages to the response body:
//   Readable.from(Scan pages) → CSV records → (gzip) → Readable.toWeb → Response
// Every stage holds at most about one page, and a stage reads from the one before only when its own
// reader takes data, so a slow client slows the Scan instead of filling memory (backpressure).
// A DynamoDB failure after the first page errors the pipeline, and the errored body aborts the
// transfer (no clean end of the chunked body), so a partial file never looks complete.
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

export interface ExportFailureLog {
  format: ExportFormat;
  /** Scan pages turned into CSV before the failure. */
  pagesServed: number;
  bikesServed: number;
  errorName: string;
  /** false: DynamoDB failed before the first page and the client got a 503, not a cut-off file. */
  started: boolean;
}

function errorName(error: unknown): string {
  const fields = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  if (typeof fields.name === "string" && fields.name !== "Error") return fields.name;
  return typeof fields.code === "string" ? fields.code : "Error";
}

/** One JSON line on stderr per failed export (CloudWatch keeps it as one event); no stack, no item data. */
function logExportFailure(fields: ExportFailureLog): void {
  console.error(
    JSON.stringify({
      level: "error",
      event: "catalog_export_failed",
      route: `${EXPORT_PATH}.${fields.format}`,
      ...fields,
    }),
  );
}

/**
 * The whole catalog as a CSV (or gzipped CSV) download. The first Scan page is read before the
 * response starts, so a DynamoDB that fails at once gets a 503 instead of a 200 that breaks off.
 */
export async function exportResponse(
  format: ExportFormat,
  { signal, now = new Date() }: { signal: AbortSignal; now?: Date },
): Promise<Response> {
  const pages = exportBikePages(signal);
  let first: IteratorResult<BikePage, void>;
  try {
    first = await pages.next();
  } catch (error) {
    if (signal.aborted) throw error;
    logExportFailure({ format, pagesServed: 0, bikesServed: 0, errorName: errorName(error), started: false });
    return Response.json(
      { error: "export_failed", message: "The catalog's database did not answer; try the export again." },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }

  let pagesServed = 0;
  let bikesServed = 0;
  let scanError: unknown;
  async function* scan(): AsyncGenerator<BikePage, void, undefined> {
    try {
      if (first.done) return;
      yield first.value;
      yield* pages;
    } catch (error) {
      scanError = error;
      throw error;
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
    if (error && scanError !== undefined && !signal.aborted) {
      logExportFailure({ format, pagesServed, bikesServed, errorName: errorName(scanError), started: true });
    }
  };
  const output: Readable =
    format === "csv.gz" ? pipeline(source, toCsv, zlib.createGzip(), settled) : pipeline(source, toCsv, settled);

  return new Response(Readable.toWeb(output) as NodeReadableStream<Uint8Array> as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": EXPORT_FORMATS[format].contentType,
      "content-disposition": `attachment; filename="${exportFileName(format, now)}"`,
      "cache-control": "no-store",
    },
  });
}
