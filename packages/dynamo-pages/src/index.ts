export { decodeCursor, encodeCursor } from "./cursor.ts";
export type { InvalidCursorReason } from "./errors.ts";
export { InvalidCursorError, ScanOptionsError } from "./errors.ts";
export type { Key, KeySchema, KeyValue } from "./key.ts";
export type { ScanPage, ScanPagesOptions } from "./scan-pages.ts";
export { scanPages } from "./scan-pages.ts";
