// What /api/bikes/export.csv and /api/bikes/export.csv.gz send and accept: the CSV columns, the
// formats, the dated file name, and the check of a request's path and query (the proxy answers 400
// with it before anything streams). Pure, so it is unit-tested directly; the stream itself is in
// lib/export-stream.ts.
import { type BikeField, type CatalogItem, isIncomplete } from "./bike";
import { csvRecord, csvRecords } from "./csv";
import type { ParamError } from "./params";
import { quotedValue } from "./whole-number";

/** A bike's fields, in order, named as in the item. */
const BIKE_FIELD_COLUMNS = [
  "id",
  "brand",
  "model",
  "type",
  "frameSize",
  "wheelSize",
  "colour",
  "year",
  "price",
  "weightKg",
  "stock",
  "description",
] as const satisfies readonly BikeField[];

/**
 * The columns, in order: every field of a bike, then `incomplete`, which names the fields a
 * malformed item lacks (their cells are empty) and is empty for a whole bike (decision 024).
 */
export const BIKE_CSV_COLUMNS = [...BIKE_FIELD_COLUMNS, "incomplete"] as const;

export const BIKE_CSV_HEADER = csvRecord(BIKE_CSV_COLUMNS);

/** The CSV records of some bikes, each ended by CRLF. */
export function bikeCsvRecords(items: readonly CatalogItem[]): string {
  return csvRecords(
    items.map((item) => [
      ...BIKE_FIELD_COLUMNS.map((column) => item[column]),
      isIncomplete(item) ? item.incomplete.join(" ") : "",
    ]),
  );
}

export const EXPORT_FORMATS = {
  csv: { extension: "csv", contentType: "text/csv; charset=utf-8; header=present" },
  // A file, not a Content-Encoding: Function URLs strip a function's Content-Encoding
  // (docs/lambda-streaming.md §2), which would hand the reader gzip bytes labelled as CSV.
  "csv.gz": { extension: "csv.gz", contentType: "application/gzip" },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** The export's path without its format: /api/bikes/export.csv, /api/bikes/export.csv.gz. */
export const EXPORT_PATH = "/api/bikes/export";

/** Paths the export answers, bad formats included (those get a 400 naming the formats). */
export function isExportPath(pathname: string): boolean {
  return pathname === EXPORT_PATH || pathname.startsWith(`${EXPORT_PATH}.`);
}

export type ExportRequest = { ok: true; format: ExportFormat } | { ok: false; errors: ParamError[] };

/** The format named by the path, and no query parameters: an export is always the whole catalog. */
export function parseExportRequest(pathname: string, search: URLSearchParams): ExportRequest {
  const errors: ParamError[] = [];
  const format = pathname.startsWith(`${EXPORT_PATH}.`) ? pathname.slice(EXPORT_PATH.length + 1) : "";
  const known = Object.keys(EXPORT_FORMATS).map((name) => `${EXPORT_PATH}.${name}`);
  if (!Object.hasOwn(EXPORT_FORMATS, format)) {
    errors.push({
      param: "format",
      message: `${format === "" ? "no export format given" : `unknown export format "${quotedValue(format)}"`}: use ${known.join(" or ")}`,
    });
  }
  for (const name of new Set(search.keys())) {
    errors.push({
      param: name,
      message: `the export takes no query parameters (it is always every bike); remove "${quotedValue(name)}"`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, format: format as ExportFormat };
}

/** bikes-YYYY-MM-DD.csv (UTC date), for Content-Disposition. */
export function exportFileName(format: ExportFormat, now: Date): string {
  return `bikes-${now.toISOString().slice(0, 10)}.${EXPORT_FORMATS[format].extension}`;
}
