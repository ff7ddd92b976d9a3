/** Why {@link decodeCursor} refused a token; `message` says the same in plain words. */
export type InvalidCursorReason =
  | "empty"
  | "too-long"
  | "not-base64url"
  | "not-json"
  | "wrong-shape"
  | "missing-attribute"
  | "extra-attribute"
  | "wrong-type"
  | "invalid-value";

/** A cursor token that is not exactly a valid key for the table's key schema. */
export class InvalidCursorError extends Error {
  override readonly name = "InvalidCursorError";
  readonly reason: InvalidCursorReason;

  constructor(reason: InvalidCursorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Options that `scanPages` refuses before sending any request. */
export class ScanOptionsError extends Error {
  override readonly name = "ScanOptionsError";
}
