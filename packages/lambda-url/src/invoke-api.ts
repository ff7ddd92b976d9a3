import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { EventStreamCodec, type Message } from "@smithy/core/event-streams";
import type { FunctionError, InvocationFailure } from "./environment.ts";
import type { BandwidthLimit } from "./options.ts";
import { ResponseSink } from "./response-sink.ts";
import { TokenBucket } from "./throttle.ts";

/** `Invoke`: the whole result in one response (docs/lambda-streaming.md §4). */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** `InvokeWithResponseStream`: the result as an event stream while the function writes it. */
const STREAM_INVOKE_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;

export interface InvokeApiRoute {
  operation: "Invoke" | "InvokeWithResponseStream";
  /** The FunctionName path parameter, decoded: a name, a partial or a full ARN, maybe with a qualifier. */
  functionName: string;
}

export function matchInvokeApi(method: string, pathOnly: string): InvokeApiRoute | null {
  if (method !== "POST") return null;
  const buffered = INVOKE_PATH.exec(pathOnly);
  const streamed = buffered ? null : STREAM_INVOKE_PATH.exec(pathOnly);
  const encoded = (buffered ?? streamed)?.[1];
  if (encoded === undefined) return null;
  let functionName: string;
  try {
    functionName = decodeURIComponent(encoded);
  } catch {
    functionName = encoded;
  }
  return { operation: buffered ? "Invoke" : "InvokeWithResponseStream", functionName };
}

/**
 * `my-function`, `123456789012:function:my-function` and
 * `arn:aws:lambda:us-east-1:123456789012:function:my-function`, each optionally followed by
 * `:QUALIFIER` (the pattern in the Invoke API reference).
 */
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** The function the API call names, or why it names none that runs here. */
export function resolveFunction(
  functionName: string,
  qualifierParameter: string | null,
  here: { functionName: string; region: string; accountId: string },
): { ok: true } | { ok: false; arn: string } {
  const match = FUNCTION_NAME.exec(functionName);
  const name = match?.[3] ?? functionName;
  const qualifier = match?.[4] ?? qualifierParameter ?? undefined;
  const arn = `arn:aws:lambda:${match?.[1] ?? here.region}:${match?.[2] ?? here.accountId}:function:${name}${qualifier ? `:${qualifier}` : ""}`;
  const sameRegion = match?.[1] === undefined || match[1] === here.region;
  const sameAccount = match?.[2] === undefined || match[2] === here.accountId;
  // One function, unpublished: only $LATEST exists (no versions, no aliases).
  const latest = qualifier === undefined || qualifier === "$LATEST";
  if (match && name === here.functionName && sameRegion && sameAccount && latest) return { ok: true };
  return { ok: false, arn };
}

/** Sends an Invoke API error the way Lambda does: the error type in a header, `{Type, message}` in the body. */
export function sendApiError(
  res: ServerResponse,
  status: number,
  errorType: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  // The SDK reads `message` for most Lambda errors and `Message` for a few (ResourceNotFound,
  // ServiceException); Lambda's bodies name the one their model declares.
  const messageKey =
    errorType === "ResourceNotFoundException" || errorType === "ServiceException" ? "Message" : "message";
  const text = JSON.stringify({ Type: status >= 500 ? "Service" : "User", [messageKey]: message, ...extra });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": errorType,
  });
  res.end(text);
}

/** Lambda's own cap on a buffered response, as its error message states it. */
export const INVOKE_RESPONSE_LIMIT_BYTES = 6_291_556;
/** LogType Tail returns the last 4 KB of the invocation's log. */
const TAIL_BYTES = 4096;
/**
 * The function's stdout reaches the emulator through a pipe, its response through HTTP: a line
 * printed just before the response ended can arrive just after. The tail waits this long for it.
 */
const LATE_LOG_GRACE_MS = 25;

export interface ApiSinkOptions {
  requestId: string;
  tail: boolean;
  memoryMb: number;
  bandwidth: BandwidthLimit | null;
  /** On a cold start, the environment's Init Duration once it is known; undefined when warm. */
  initDurationMs?: () => number | undefined;
}

/** ` Init Duration: 312.45 ms`, the field Lambda adds to a cold start's REPORT line; "" when warm. */
export function initDurationField(initDurationMs: number | undefined): string {
  return initDurationMs === undefined ? "" : `Init Duration: ${initDurationMs.toFixed(2)} ms`;
}

/** What Lambda reports for a failed invocation: `errorType` and `errorMessage` (and the trace). */
export function errorPayload(failure: InvocationFailure, requestId: string): FunctionError {
  switch (failure.kind) {
    case "function-error":
      return failure.error;
    case "init-error":
      return failure.error ?? { errorType: "Runtime.Unknown", errorMessage: "the function failed to initialise" };
    case "timeout":
      return {
        errorType: "Sandbox.Timedout",
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(failure.timeoutMs / 1000).toFixed(2)} seconds`,
      };
    case "crash":
      return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${failure.detail}` };
    case "response-too-large":
      return {
        errorType: "Function.ResponseSizeTooLarge",
        errorMessage: `Response payload size exceeded maximum allowed payload size (${failure.limitBytes} bytes).`,
      };
  }
}

/**
 * An Invoke API response: a failure is a Lambda API error or the function's error object, never a
 * cut-off body; with LogType Tail it carries the end of the invocation's log.
 */
abstract class ApiSink extends ResponseSink<ApiSinkOptions> {
  private readonly lines: string[] = [];
  private linesBytes = 0;
  private readonly started = performance.now();
  private endedAt: number | null = null;

  log(line: string): void {
    if (!this.options.tail) return;
    this.lines.push(line);
    this.linesBytes += Buffer.byteLength(line) + 1;
    // Only the end is returned: keep a little more than 4 KB of lines.
    while (this.linesBytes > 2 * TAIL_BYTES && this.lines.length > 1) {
      this.linesBytes -= Buffer.byteLength(this.lines.shift() ?? "") + 1;
    }
  }

  /** The function has answered: the duration Lambda would bill ends here. */
  protected markEnded(): void {
    this.endedAt ??= performance.now();
  }

  /** The last 4 KB of START, the function's lines, END and REPORT, base64; undefined without Tail. */
  protected async tailLog(): Promise<string | undefined> {
    if (!this.options.tail) return undefined;
    this.markEnded();
    await new Promise((resolve) => setTimeout(resolve, LATE_LOG_GRACE_MS));
    const id = this.options.requestId;
    const duration = (this.endedAt ?? performance.now()) - this.started;
    const init = initDurationField(this.options.initDurationMs?.());
    const text = `${[
      `START RequestId: ${id} Version: $LATEST`,
      ...this.lines,
      `END RequestId: ${id}`,
      `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${this.options.memoryMb} MB\t${init ? `${init}\t` : ""}`,
    ].join("\n")}\n`;
    const bytes = Buffer.from(text, "utf8");
    return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
  }

  protected baseHeaders(): OutgoingHttpHeaders {
    return { "x-amzn-requestid": this.options.requestId, "x-amz-executed-version": "$LATEST" };
  }
}

/**
 * `Invoke` (RequestResponse): the function's whole output, streamed or returned, in one 200 body
 * of at most 6 MB; a failure is a 200 too, with `X-Amz-Function-Error: Unhandled` and the error
 * object as the payload (Invoke API reference).
 */
export class InvokeResponder extends ApiSink {
  private chunks: Buffer[] = [];
  private tooLarge = false;

  streamStart(): void {}

  streamChunk(chunk: Buffer): void {
    if (this.finished || this.tooLarge) return;
    this.bytes += chunk.length;
    if (this.bytes > INVOKE_RESPONSE_LIMIT_BYTES) {
      // Keep reading (the function is not stopped) but hold nothing more.
      this.tooLarge = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }

  streamEnd(): void {
    if (this.tooLarge) {
      this.fail({ kind: "response-too-large", limitBytes: INVOKE_RESPONSE_LIMIT_BYTES });
      return;
    }
    const payload = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered("application/json", payload);
  }

  buffered(_contentType: string, body: Buffer): void {
    if (this.finished) return;
    this.finished = true;
    void this.send(body, null);
  }

  fail(failure: InvocationFailure): void {
    if (this.finished) return;
    this.finished = true;
    this.chunks = [];
    // A returned result is capped by the Runtime API at 6 MiB; Lambda words the error with its own figure.
    const reported: InvocationFailure =
      failure.kind === "response-too-large" ? { ...failure, limitBytes: INVOKE_RESPONSE_LIMIT_BYTES } : failure;
    const error = errorPayload(reported, this.options.requestId);
    void this.send(Buffer.from(JSON.stringify(error)), { failure, error });
  }

  private async send(
    payload: Buffer,
    failed: { failure: InvocationFailure; error: FunctionError } | null,
  ): Promise<void> {
    const logResult = await this.tailLog();
    if (!this.clientGone && !this.res.headersSent) {
      const headers: OutgoingHttpHeaders = {
        ...this.baseHeaders(),
        "content-type": "application/json",
        "content-length": payload.length,
      };
      // Every failure the Node.js runtime reports is "Unhandled"; "Handled" was the callback era's.
      if (failed) headers["x-amz-function-error"] = "Unhandled";
      if (logResult !== undefined) headers["x-amz-log-result"] = logResult;
      this.res.writeHead(200, headers);
      this.res.end(payload);
    }
    this.finish({
      status: 200,
      bytes: payload.length,
      result: failed ? failed.failure.kind : "ok",
      truncated: false,
      detail: failed ? `${failed.error.errorType}: ${failed.error.errorMessage}` : undefined,
    });
  }
}

/** The AWS event stream encoding (`application/vnd.amazon.eventstream`): prelude, headers, payload, CRCs. */
const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString("utf8"),
  (text) => Buffer.from(text, "utf8"),
);

function eventMessage(eventType: "PayloadChunk" | "InvokeComplete", contentType: string, body: Uint8Array): Buffer {
  const message: Message = {
    headers: {
      ":message-type": { type: "string", value: "event" },
      ":event-type": { type: "string", value: eventType },
      ":content-type": { type: "string", value: contentType },
    },
    body,
  };
  const encoded = codec.encode(message);
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

/**
 * `InvokeWithResponseStream`: status 200 and headers at once, then one `PayloadChunk` event per
 * chunk the function writes, sent as it arrives, then one `InvokeComplete` event carrying
 * `ErrorCode`/`ErrorDetails` when the function failed and `LogResult` with Tail. A failure after
 * the 200 can only be reported in that last event.
 */
export class ResponseStreamInvoker extends ApiSink {
  private readonly bucket: TokenBucket | null;
  /** Events are written one after the other, the last one after every chunk. */
  private writing: Promise<void> = Promise.resolve();

  constructor(res: ServerResponse, options: ApiSinkOptions) {
    super(res, options);
    this.bucket = options.bandwidth ? new TokenBucket(options.bandwidth) : null;
  }

  streamStart(contentType: string): void {
    this.writeHead(contentType);
  }

  streamChunk(chunk: Buffer): Promise<void> | void {
    if (this.finished || chunk.length === 0) return;
    this.writing = this.writing.then(() => this.writeChunk(chunk));
    return this.writing;
  }

  streamEnd(): void {
    this.complete(null);
  }

  buffered(contentType: string, body: Buffer): void {
    if (this.finished) return;
    this.writeHead(contentType);
    this.streamChunk(body);
    this.complete(null);
  }

  fail(failure: InvocationFailure): void {
    this.complete(failure);
  }

  private writeHead(contentType: string): void {
    if (this.clientGone || this.res.headersSent) return;
    // The response's Content-Type is the stream's (ResponseStreamContentType in the SDK's output).
    this.res.writeHead(200, { ...this.baseHeaders(), "content-type": contentType });
    this.res.flushHeaders();
  }

  private async writeChunk(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.clientGone) return;
    // Lambda's streaming bandwidth applies to the Invoke API as to a Function URL.
    const wait = this.bucket?.take(chunk.length) ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.write(eventMessage("PayloadChunk", "application/octet-stream", chunk));
  }

  private complete(failure: InvocationFailure | null): void {
    if (this.finished) return;
    this.finished = true;
    this.markEnded();
    this.writing = this.writing.then(async () => {
      const error = failure ? errorPayload(failure, this.options.requestId) : null;
      const fields: Record<string, string> = {};
      if (error) {
        fields.ErrorCode = error.errorType;
        fields.ErrorDetails = error.errorMessage;
      }
      const logResult = await this.tailLog();
      if (logResult !== undefined) fields.LogResult = logResult;
      this.writeHead("application/octet-stream");
      await this.write(eventMessage("InvokeComplete", "application/json", Buffer.from(JSON.stringify(fields))));
      if (!this.clientGone) this.res.end();
      this.finish({
        status: 200,
        bytes: this.bytes,
        result: failure ? failure.kind : "ok",
        truncated: false,
        detail: error ? `${error.errorType}: ${error.errorMessage}` : undefined,
      });
    });
  }

  private write(bytes: Buffer): Promise<void> {
    if (this.clientGone || this.res.write(bytes)) return Promise.resolve();
    return this.drained();
  }
}
