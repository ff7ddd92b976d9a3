export type { Key, KeySchema, KeyValue } from "./key.ts";
export { encodeCursor, decodeCursor } from "./cursor.ts";
export { scanPages } from "./scan-pages.ts";
export type { ScanPage, ScanPagesOptions } from "./scan-pages.ts";
export { InvalidCursorError, ScanOptionsError } from "./errors.ts";
export type { InvalidCursorReason } from "./errors.ts";
