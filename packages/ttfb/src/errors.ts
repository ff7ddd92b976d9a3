/** Why {@link measure} gave up on a request; `message` says the same in plain words. */
export type MeasureFailureReason =
  | "invalid-url"
  | "invalid-option"
  | "timeout"
  | "aborted"
  | "network"
  | "incomplete-response"
  | "unsupported-encoding"
  | "decode";

/** A request that produced no complete measurement (refused, reset, timed out, undecodable body). */
export class MeasureError extends Error {
  override readonly name = "MeasureError";
  readonly reason: MeasureFailureReason;
  readonly url: string;

  constructor(reason: MeasureFailureReason, url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.url = url;
  }
}

/** Command-line arguments the CLI refuses before sending any request. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
