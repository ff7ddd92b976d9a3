// The JSON prelude and 8 NUL bytes that open a streamed Function URL response
// (docs/lambda-streaming.md §1), written by hand for every response the wrapper sends.
import type { Writable } from "node:stream";
import type { InternalResult } from "@opennextjs/aws/types/open-next.js";

/** The Content-Type that tells a Function URL the body starts with a JSON prelude (docs/lambda-streaming.md §1). */
const INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
/** The prelude ends with 8 NUL bytes (docs/lambda-streaming.md §1). */
const PRELUDE_SEPARATOR = new Uint8Array(8);

export interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/** The runtime's response stream, as far as the prelude needs it. */
export type ResponseStream = Writable & { setContentType(contentType: string): void };

// Written by hand rather than with awslambda.HttpResponseStream.from: from() followed directly by
// end() sends no prelude at all (docs/lambda-streaming.md §1), which would turn an empty 404 or
// redirect into a raw 200.
export function writePrelude(responseStream: ResponseStream, prelude: Prelude): void {
  responseStream.setContentType(INTEGRATION_CONTENT_TYPE);
  responseStream.write(JSON.stringify(prelude));
  responseStream.write(PRELUDE_SEPARATOR);
}

/** InternalResult headers → prelude headers and cookies (only used when Next never wrote the headers). */
export function preludeFromResult(result: InternalResult): Prelude {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(result.headers)) {
    if (name.toLowerCase() === "set-cookie") cookies = Array.isArray(value) ? value : [value];
    else headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { statusCode: result.statusCode, headers, cookies };
}
