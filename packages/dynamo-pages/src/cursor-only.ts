// `@firstbyte/dynamo-pages/cursor`: the cursors without the Scan, for code that only validates or
// builds them (a request validator in front of every route, say). It imports no AWS SDK module, so
// a bundle made from it carries none: the package root pulls in @aws-sdk/client-dynamodb through
// scanPages, and a bundler keeps those imports because SDK modules have side effects at load.
export { decodeCursor, encodeCursor } from "./cursor.ts";
export type { InvalidCursorReason } from "./errors.ts";
export { InvalidCursorError } from "./errors.ts";
export type { Key, KeySchema, KeyValue } from "./key.ts";
