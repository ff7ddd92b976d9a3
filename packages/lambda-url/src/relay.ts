import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { InvocationFailure } from "./environment.ts";
import type { BandwidthLimit } from "./options.ts";
import { INTEGRATION_CONTENT_TYPE, type Prelude, PreludeError, PreludeSplitter, parsePrelude } from "./prelude.ts";
import { type ResponseOutcome, ResponseSink } from "./response-sink.ts";
import { TokenBucket } from "./throttle.ts";

export interface RelayOptions {
  requestId: string;
  bandwidth: BandwidthLimit | null;
  stripContentEncoding: boolean;
}

/** Throttled writes are cut into slices this big so the rate is smooth, not one burst per chunk. */
const THROTTLE_SLICE_BYTES = 64 * 1024;
/** Hop-by-hop and framing headers the front sets itself; a streamed body is always chunked. */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

export function describeFailure(failure: InvocationFailure): string {
  switch (failure.kind) {
    case "function-error":
      return `${failure.error.errorType}: ${failure.error.errorMessage}`;
    case "init-error":
      return failure.error ? `init ${failure.error.errorType}: ${failure.error.errorMessage}` : "init failed";
    case "timeout":
      return `Task timed out after ${(failure.timeoutMs / 1000).toFixed(2)} seconds`;
    case "crash":
      return failure.detail;
    case "response-too-large":
      return `response exceeds ${failure.limitBytes} bytes`;
  }
}

/** The answer a Function URL gives when the function failed before sending anything. */
export function sendBadGateway(res: ServerResponse, requestId: string): void {
  sendJsonError(res, 502, { Message: "Internal Server Error" }, requestId);
}

export function sendJsonError(
  res: ServerResponse,
  status: number,
  body: Record<string, string>,
  requestId: string,
  extraHeaders: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
    ...extraHeaders,
  });
  res.end(text);
}

function headersFrom(prelude: Prelude, requestId: string, stripContentEncoding: boolean): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(prelude.headers)) {
    if (FRAMING_HEADERS.has(name)) continue;
    // Observed in production, undocumented: Function URLs drop a Content-Encoding set by the
    // function (docs/lambda-streaming.md §2). Off by default: see the README.
    if (stripContentEncoding && name === "content-encoding") continue;
    headers[name] = value;
  }
  if (prelude.cookies.length > 0) headers["set-cookie"] = prelude.cookies;
  headers["x-amzn-requestid"] = requestId;
  return headers;
}

/** A Function URL's response: a failure is a 502 before the headers, a cut-off body after them. */
abstract class FunctionUrlSink extends ResponseSink<RelayOptions> {
  fail(failure: InvocationFailure): void {
    this.finishWithFailure(failure.kind, describeFailure(failure));
  }

  protected finishWithFailure(result: ResponseOutcome["result"], detail: string): void {
    if (this.finished) return;
    if (!this.res.headersSent) {
      sendBadGateway(this.res, this.options.requestId);
      this.finish({ status: 502, bytes: 0, result, truncated: false, detail });
      return;
    }
    // Status and headers are out: the client sees a body that stops without its end, which is
    // what users report from Function URLs (not documented by AWS; docs/lambda-streaming.md §2).
    this.res.socket?.end();
    this.finish({ status: this.res.statusCode, bytes: this.bytes, result, truncated: true, detail });
  }
}

/** InvokeMode RESPONSE_STREAM: each chunk the function writes goes to the client as it comes. */
export class StreamingRelay extends FunctionUrlSink {
  private splitter: PreludeSplitter | null = null;
  private rawContentType = "application/octet-stream";
  private readonly bucket: TokenBucket | null;

  constructor(res: ServerResponse, options: RelayOptions) {
    super(res, options);
    this.bucket = options.bandwidth ? new TokenBucket(options.bandwidth) : null;
  }

  streamStart(contentType: string): void {
    if (contentType.split(";")[0]?.trim().toLowerCase() === INTEGRATION_CONTENT_TYPE) {
      this.splitter = new PreludeSplitter();
    } else {
      this.rawContentType = contentType;
    }
  }

  streamChunk(chunk: Buffer): Promise<void> | void {
    if (this.finished) return;
    if (this.splitter) {
      let split: ReturnType<PreludeSplitter["push"]>;
      try {
        split = this.splitter.push(chunk);
      } catch (error) {
        this.finishWithFailure("bad-prelude", (error as Error).message);
        return;
      }
      if (!split) return;
      this.splitter = null;
      this.writeHead(
        split.prelude.statusCode,
        headersFrom(split.prelude, this.options.requestId, this.options.stripContentEncoding),
      );
      if (this.finished || split.rest.length === 0) return;
      return this.writeBody(split.rest);
    }
    if (!this.res.headersSent) this.writeRawHead();
    return this.writeBody(chunk);
  }

  streamEnd(): void {
    if (this.finished) return;
    if (this.splitter) {
      // `HttpResponseStream.from()` followed directly by `end(data)` sends no prelude, only the data
      // under the integration Content-Type (docs/lambda-streaming.md §1). Treat it as a 200 body rather
      // than an error; the bytes are not relayed until the end because a delimiter could still come.
      const held = this.splitter.pending;
      this.splitter = null;
      this.rawContentType = "application/octet-stream";
      this.writeRawHead();
      this.bytes += held.length;
      if (!this.clientGone) this.res.end(held);
    } else {
      if (!this.res.headersSent) this.writeRawHead();
      if (!this.clientGone) this.res.end();
    }
    this.finish({ status: this.res.statusCode, bytes: this.bytes, result: "ok", truncated: false });
  }

  /** A handler that is not streamified behind a streaming URL: 200 with the raw JSON it returned. */
  buffered(contentType: string, body: Buffer): void {
    if (this.finished) return;
    this.rawContentType = contentType;
    this.writeRawHead();
    this.bytes += body.length;
    if (!this.clientGone) this.res.end(body);
    this.finish({ status: 200, bytes: this.bytes, result: "ok", truncated: false });
  }

  private writeRawHead(): void {
    this.writeHead(200, { "content-type": this.rawContentType, "x-amzn-requestid": this.options.requestId });
  }

  private writeHead(status: number, headers: OutgoingHttpHeaders): void {
    if (this.clientGone || this.res.headersSent) return;
    try {
      this.res.writeHead(status, headers);
    } catch (error) {
      // A header name or value Node refuses (e.g. a newline in it): the response cannot be sent.
      this.finishWithFailure("bad-prelude", `invalid response headers: ${(error as Error).message}`);
      return;
    }
    // Send status and headers now: a page's shell must not wait for its first body chunk.
    this.res.flushHeaders();
  }

  private async writeBody(chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length; ) {
      if (this.clientGone || this.finished) return;
      const size = this.bucket ? Math.min(THROTTLE_SLICE_BYTES, chunk.length - offset) : chunk.length - offset;
      const slice = chunk.subarray(offset, offset + size);
      offset += size;
      const wait = this.bucket?.take(size) ?? 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.clientGone || this.finished) return;
      this.bytes += size;
      // One write per chunk and no buffering here: Node sends it as one HTTP chunk at once.
      if (!this.res.write(slice)) await this.drained();
    }
  }
}

export interface MappedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * InvokeMode BUFFERED: `{statusCode, headers, cookies, body, isBase64Encoded}` becomes the HTTP
 * response; any other JSON value is returned as a 200 JSON body (docs/lambda-streaming.md §2).
 */
export function mapBufferedResult(payload: Buffer, contentType: string): MappedResponse {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch {
    return { status: 200, headers: { "content-type": contentType }, body: payload };
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && "statusCode" in value) {
    const result = value as Record<string, unknown>;
    const status = Number(result.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new PreludeError(`statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status`);
    }
    const headers: OutgoingHttpHeaders = {};
    if (result.headers && typeof result.headers === "object") {
      for (const [name, headerValue] of Object.entries(result.headers as Record<string, unknown>)) {
        const lower = name.toLowerCase();
        if (headerValue === undefined || headerValue === null || FRAMING_HEADERS.has(lower)) continue;
        headers[lower] = String(headerValue);
      }
    }
    if (Array.isArray(result.cookies) && result.cookies.length > 0) headers["set-cookie"] = result.cookies.map(String);
    let body = Buffer.alloc(0);
    if (typeof result.body === "string") {
      body = result.isBase64Encoded === true ? Buffer.from(result.body, "base64") : Buffer.from(result.body, "utf8");
    } else if (result.body !== undefined && result.body !== null) {
      body = Buffer.from(JSON.stringify(result.body), "utf8");
    }
    return { status, headers, body };
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: payload };
}

/** InvokeMode BUFFERED: the whole result is collected, mapped, and sent with a Content-Length. */
export class BufferedResponder extends FunctionUrlSink {
  private chunks: Buffer[] = [];
  private size = 0;
  private streamContentType = "application/octet-stream";

  constructor(
    res: ServerResponse,
    options: RelayOptions,
    private readonly limitBytes: number,
  ) {
    super(res, options);
  }

  streamStart(contentType: string): void {
    this.streamContentType = contentType;
  }

  streamChunk(chunk: Buffer): void {
    if (this.finished) return;
    this.size += chunk.length;
    if (this.size > this.limitBytes) {
      this.finishWithFailure("response-too-large", `response exceeds ${this.limitBytes} bytes`);
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }

  streamEnd(): void {
    if (this.finished) return;
    const payload = Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.streamContentType.split(";")[0]?.trim().toLowerCase() === INTEGRATION_CONTENT_TYPE) {
      // A streamified handler behind a BUFFERED URL: its prelude and body, sent whole.
      const at = payload.indexOf(Buffer.alloc(8));
      if (at === -1) {
        this.send({ status: 200, headers: { "content-type": "application/octet-stream" }, body: payload });
        return;
      }
      try {
        const prelude = parsePrelude(payload.subarray(0, at));
        this.send({
          status: prelude.statusCode,
          headers: headersFrom(prelude, this.options.requestId, this.options.stripContentEncoding),
          body: payload.subarray(at + 8),
        });
      } catch (error) {
        this.finishWithFailure("bad-prelude", (error as Error).message);
      }
      return;
    }
    this.buffered(this.streamContentType, payload);
  }

  buffered(contentType: string, body: Buffer): void {
    if (this.finished) return;
    let mapped: MappedResponse;
    try {
      mapped = mapBufferedResult(body, contentType);
    } catch (error) {
      this.finishWithFailure("bad-prelude", (error as Error).message);
      return;
    }
    this.send(mapped);
  }

  private send(mapped: MappedResponse): void {
    if (!this.clientGone && !this.res.headersSent) {
      const headers: OutgoingHttpHeaders = { ...mapped.headers, "content-length": mapped.body.length };
      if (this.options.stripContentEncoding) delete headers["content-encoding"];
      headers["x-amzn-requestid"] = this.options.requestId;
      try {
        this.res.writeHead(mapped.status, headers);
      } catch (error) {
        this.finishWithFailure("bad-prelude", `invalid response headers: ${(error as Error).message}`);
        return;
      }
      this.res.end(mapped.body);
    }
    this.bytes = mapped.body.length;
    this.finish({ status: mapped.status, bytes: this.bytes, result: "ok", truncated: false });
  }
}
