// CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180#section-2): fields separated by
// commas, records ended by CRLF, a field quoted when it holds a comma, a double quote, CR or LF, and
// a double quote inside a quoted field doubled. Pure, so it is unit-tested directly.

export type CsvValue = string | number | boolean | null | undefined;

/** A field that needs quoting: it holds a comma, a double quote, CR or LF. */
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: empty for null and undefined, quoted only when RFC 4180 requires it. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
