// The StreamCreator handed to OpenNext for one response: chunks not retained, the status a page
// asked for applied, the body encoded as negotiated (decisions 004 and 023).
import { PassThrough } from "node:stream";
import type { StreamCreator } from "@opennextjs/aws/types/open-next.js";
import { applyStatusOverride, type ResponseStatusChannel } from "../lib/response-status.ts";
import { bodyOutcome } from "./body-outcome.ts";
import {
  type CompressionPolicy,
  chooseResponseEncoding,
  createEncoder,
  headerValue,
  markEncoding,
} from "./encoding.ts";
import { ResponseBodyFailedError } from "./errors.ts";
import { type ResponseStream, writePrelude } from "./prelude.ts";

export interface ResponseWriter {
  streamCreator: StreamCreator;
  /** Whether OpenNext wrote the headers through the StreamCreator. */
  headersWritten(): boolean;
  /** How the body ended (bodyOutcome); undefined until the headers are written. */
  body(): Promise<void> | undefined;
  /**
   * Ends the Lambda stream once every byte is out: cleanly, or, for a body the page marked
   * incomplete, by failing the invocation so no shared cache stores it (decision 027).
   */
  finish(): Promise<void>;
}

/** How long a body marked incomplete stays open after its last byte before the invocation fails. */
export const INCOMPLETE_END_DELAY_MS = 1000;

export function createResponseWriter(
  responseStream: ResponseStream,
  request: { method: string; acceptEncoding: string | undefined; policy: CompressionPolicy },
  statusChannel: ResponseStatusChannel,
): ResponseWriter {
  let headersWritten = false;
  let body: Promise<void> | undefined;
  // The body goes through `sink` into the Lambda stream, which only finish() ends.
  const sink = new PassThrough();
  const sinkDrained = new Promise<void>((resolve) => sink.once("end", resolve));
  sink.pipe(responseStream, { end: false });
  const streamCreator: StreamCreator = {
    // Streamed chunks are never read back on this path (the returned InternalResult's body is
    // ignored), so OpenNextNodeResponse need not keep them.
    retainChunks: false,
    writeHeaders(prelude) {
      headersWritten = true;
      const { statusCode, headers } = applyStatusOverride(statusChannel, prelude);
      const encoding = chooseResponseEncoding({
        ...request,
        statusCode,
        contentType: headerValue(headers, "content-type"),
        contentEncoding: headerValue(headers, "content-encoding"),
      });
      markEncoding(headers, encoding, request.policy);
      writePrelude(responseStream, { statusCode, headers, cookies: prelude.cookies });
      if (encoding === "identity") {
        body = bodyOutcome(sink);
        return sink;
      }
      const encoder = createEncoder(encoding);
      body = bodyOutcome(encoder);
      encoder.on("error", (error) => {
        console.error(`streaming-wrapper: ${encoding} encoder failed: ${error.message}`);
        responseStream.end();
      });
      encoder.pipe(sink);
      return encoder;
    },
  };
  const finish = async () => {
    await sinkDrained;
    if (statusChannel.incomplete !== undefined) {
      // fetch() in a browser drops what it received but has not read when a transfer fails, so the
      // error line would be lost: the pause lets it read to the end first (decision 027).
      await new Promise((resolve) => setTimeout(resolve, INCOMPLETE_END_DELAY_MS));
      throw new ResponseBodyFailedError(
        `the response body is incomplete (${statusChannel.incomplete}): ended abnormally so no cache stores it`,
      );
    }
    responseStream.end();
  };
  return { streamCreator, headersWritten: () => headersWritten, body: () => body, finish };
}
