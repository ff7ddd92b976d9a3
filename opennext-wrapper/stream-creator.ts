// The StreamCreator handed to OpenNext for one response: chunks not retained, the status a page
// asked for applied, the body encoded as negotiated (decisions 004 and 023).
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
import { type ResponseStream, writePrelude } from "./prelude.ts";

export interface ResponseWriter {
  streamCreator: StreamCreator;
  /** Whether OpenNext wrote the headers through the StreamCreator. */
  headersWritten(): boolean;
  /** How the body ended (bodyOutcome); undefined until the headers are written. */
  body(): Promise<void> | undefined;
}

export function createResponseWriter(
  responseStream: ResponseStream,
  request: { method: string; acceptEncoding: string | undefined; policy: CompressionPolicy },
  statusChannel: ResponseStatusChannel,
): ResponseWriter {
  let headersWritten = false;
  let body: Promise<void> | undefined;
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
        body = bodyOutcome(responseStream);
        return responseStream;
      }
      const encoder = createEncoder(encoding);
      body = bodyOutcome(encoder);
      encoder.on("error", (error) => {
        console.error(`streaming-wrapper: ${encoding} encoder failed: ${error.message}`);
        responseStream.end();
      });
      encoder.pipe(responseStream);
      return encoder;
    },
  };
  return { streamCreator, headersWritten: () => headersWritten, body: () => body };
}
