// CSV records as RFC 4180 writes them (csv-stringify): fields separated by commas, records ended by
// CRLF, a field quoted when it holds a comma, a double quote, CR or LF. A text field that a
// spreadsheet would run as a formula gets a leading single quote (docs/decisions/024-hostile-items-cost-one-row.md).
import { type Options, stringify } from "csv-stringify/sync";

export type CsvValue = string | number | null | undefined;

const OPTIONS: Options = {
  record_delimiter: "windows",
  // Quote a field holding a lone CR or LF too, not only CRLF (RFC 4180 §2.6).
  quote_record_delimiter: true,
  // Text starting with = + - @, tab or CR (and their full-width forms) becomes '=…; numbers stay numbers.
  escape_formulas: true,
};

/** Records, each ended by CRLF; null and undefined are empty fields. */
export function csvRecords(records: readonly (readonly CsvValue[])[]): string {
  return records.length === 0 ? "" : stringify(records as CsvValue[][], OPTIONS);
}

/** One record with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return csvRecords([values]);
}

/** One field as it stands in a record. */
export function csvField(value: CsvValue): string {
  return csvRecord([value]).slice(0, -2);
}
