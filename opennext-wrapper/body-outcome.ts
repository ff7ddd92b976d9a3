// Whether a streamed body ended or was cut short, so the wrapper can fail the invocation and the
// client's transfer is cut off rather than ended cleanly (decision 018).
import type { Readable, Writable } from "node:stream";
import { ResponseBodyFailedError } from "./errors.ts";

/**
 * Settles when the body piped into `target` is over: resolves when its source ended cleanly,
 * rejects when the source was destroyed first (with or without an error). OpenNext 4.1.12 pipes
 * its OpenNextNodeResponse into the stream writeHeaders returns (dist/http/openNextResponse.js
 * `flushHeaders`), and `pipe()` emits "pipe" on the destination with the source.
 */
export function bodyOutcome(target: Writable): Promise<void> {
  const outcome = new Promise<void>((resolve, reject) => {
    target.once("pipe", (source: Readable & Partial<Pick<Writable, "writableFinished">>) => {
      const failed = (cause: unknown) =>
        reject(
          new ResponseBodyFailedError(
            `the response body failed after the status was sent: ${cause instanceof Error ? cause.message : String(cause)}`,
            { cause },
          ),
        );
      source.once("error", failed);
      source.once("close", () => {
        if (source.errored) failed(source.errored);
        else if (source.writableFinished === false || !source.readableEnded) failed("closed before its end");
        else resolve();
      });
    });
  });
  // Awaited once the handler returns; until then a rejection must not count as unhandled (Lambda's
  // Node runtime fails the invocation on an unhandled rejection).
  outcome.catch(() => {});
  return outcome;
}
