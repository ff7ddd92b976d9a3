// The Lambda entry of the OpenNext server function (open-next.config.ts `default.override.wrapper`).
// It replaces OpenNext 4.1.12's built-in "aws-lambda-streaming" wrapper for these reasons:
// - memory: the built-in wrapper's StreamCreator leaves `retainChunks` unset, and
//   OpenNextNodeResponse then keeps every chunk of the page until the response is collected
//   (dist/http/openNextResponse.js `_internalWrite`). Streamed bytes are never read back on this
//   path, so this wrapper sets `retainChunks: false`, the switch OpenNext documents on StreamCreator;
// - compression: the built-in wrapper compresses with brotli at zlib's default quality 11
//   (seconds of CPU on a multi-megabyte catalog page) and sends `content-encoding: identity` when it
//   does not compress. Here identity sends no header, and br uses quality 4;
// - HEAD, 204, 304 and non-text bodies are never compressed (an empty body must stay empty);
// - requests OpenNext cannot represent are answered here, not crashed on: a Host that makes no URL
//   (`[::1`) and the methods `new Request()` refuses (TRACE), see answerBeforeHandler;
// - a body that fails after the headers went out (Next destroys OpenNext's response with the error)
//   fails the invocation, so the runtime ends the stream with its error trailer and the client's
//   transfer is cut off. OpenNext only pipes its response into the stream, and `pipe()` never ends
//   the destination on an error: the stream stayed open until the function timed out.
// - a page's request for another status than 200 (lib/response-status.ts: Next 16 lets a page set
//   no 503) is applied when the status line is written.
// Production sits behind CloudFront, which drops accept-encoding in a viewer-request function
// (docs/lambda-streaming.md §3: CloudFront does not compress chunked responses, and Function URLs were
// seen stripping a function's Content-Encoding), so there the function always answers identity.
import { PassThrough, Readable, type Writable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import zlib from "node:zlib";
import type { InternalEvent, InternalResult, StreamCreator } from "@opennextjs/aws/types/open-next.js";
import type { Wrapper, WrapperHandler } from "@opennextjs/aws/types/overrides.js";
// Also declares the runtime's global `awslambda` (streamifyResponse, HttpResponseStream).
import type {} from "aws-lambda";
import { ALLOWED_METHODS } from "../lib/http-error-response.ts";
import { applyStatusOverride, createResponseStatusChannel, withResponseStatusChannel } from "../lib/response-status.ts";
import { NO_SCRIPT_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "../lib/security-headers.ts";

interface LambdaRuntimeGlobal {
  /** Installed by the Lambda Node.js runtime (aws-lambda-ric); absent anywhere else. */
  awslambda?: Pick<typeof awslambda, "streamifyResponse">;
  /** Set by OpenNext's main handler at start-up; the warmer uses it to count distinct instances. */
  serverId?: string;
  /** Defined by OpenNext's server bundle; "warmerEvent" preloads routes when routePreloadingBehavior says so. */
  __next_route_preloader?: (stage: string) => Promise<void>;
}

/** The Content-Type that tells a Function URL the body starts with a JSON prelude (docs/lambda-streaming.md §1). */
const INTEGRATION_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
/** The prelude ends with 8 NUL bytes (docs/lambda-streaming.md §1). */
const PRELUDE_SEPARATOR = new Uint8Array(8);

export type ResponseEncoding = "br" | "gzip" | "identity";
/** "negotiate": honour accept-encoding (br, then gzip); "off": always identity. */
export type CompressionPolicy = "negotiate" | "off";

/** Brotli quality for streamed HTML: 4 compresses a catalog page ~10x at a small fraction of q11's CPU. */
export const BROTLI_QUALITY = 4;
/**
 * "negotiate" when unset. Read here, not in lib/config.ts: the wrapper takes from lib/ only the
 * modules that load nothing else (security headers, the status channel), not the app's config.
 */
export const COMPRESSION_ENV = "STREAM_COMPRESSION";

export class StreamingWrapperConfigError extends Error {
  override name = "StreamingWrapperConfigError";
}

export function compressionPolicyFromEnv(env: Record<string, string | undefined> = process.env): CompressionPolicy {
  const value = env[COMPRESSION_ENV]?.trim() || "negotiate";
  if (value !== "negotiate" && value !== "off") {
    throw new StreamingWrapperConfigError(`${COMPRESSION_ENV} must be "negotiate" or "off", got "${value}"`);
  }
  return value;
}

/** Codings the client accepts with a non-zero q (RFC 9110 §12.5.3); `br;q=0` means "not br". */
function acceptedCodings(acceptEncoding: string): Set<string> {
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(",")) {
    const [coding = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    if (coding !== "" && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(coding);
  }
  return accepted;
}

// Text formats only: images, fonts and archives are already compressed.
const COMPRESSIBLE_TYPE = /^(text\/|application\/(json|x-ndjson|javascript|xml)\b|[\w.-]+\/[\w.-]+\+(json|xml)\b)/i;

/** The coding for one response: never for HEAD, bodiless statuses, binary types or an already encoded body. */
export function chooseResponseEncoding(request: {
  method: string;
  acceptEncoding: string | undefined;
  statusCode: number;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  policy: CompressionPolicy;
}): ResponseEncoding {
  if (request.policy === "off" || request.method === "HEAD") return "identity";
  if (
    request.statusCode === 204 ||
    request.statusCode === 304 ||
    (request.statusCode >= 100 && request.statusCode < 200)
  )
    return "identity";
  if (request.contentEncoding !== undefined && request.contentEncoding !== "identity") return "identity";
  if (request.contentType === undefined || !COMPRESSIBLE_TYPE.test(request.contentType)) return "identity";
  const accepted = acceptedCodings(request.acceptEncoding ?? "");
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip")) return "gzip";
  return "identity";
}

function createEncoder(encoding: Exclude<ResponseEncoding, "identity">): zlib.BrotliCompress | zlib.Gzip {
  // Flushing on every write keeps each Suspense chunk a chunk on the wire; without it zlib holds
  // output until its buffer fills and the page stops streaming.
  if (encoding === "br") {
    return zlib.createBrotliCompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    });
  }
  return zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/** InternalResult headers → prelude headers and cookies (only used when Next never wrote the headers). */
function preludeFromResult(result: InternalResult): {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  let cookies: string[] = [];
  for (const [name, value] of Object.entries(result.headers)) {
    if (name.toLowerCase() === "set-cookie") cookies = Array.isArray(value) ? value : [value];
    else headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { statusCode: result.statusCode, headers, cookies };
}

/** How long a body marked incomplete stays open after its last byte before the invocation fails. */
export const INCOMPLETE_END_DELAY_MS = 1000;

export class ResponseBodyFailedError extends Error {
  override name = "ResponseBodyFailedError";
}

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

/** A response the wrapper sends itself, without calling OpenNext. */
export interface EarlyAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// The Fetch standard forbids these methods in `new Request()`; Next's proxy adapter builds one for
// every request, so OpenNext 4.1.12 turns them into a 500 (TypeError "'TRACE' HTTP method is unsupported").
const METHODS_FETCH_FORBIDS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** The app only reads (proxy.ts answers 405 for other methods with the same Allow, from the same list). */
const ALLOW = ALLOWED_METHODS.join(", ");

function plainAnswer(statusCode: number, body: string, headers: Record<string, string> = {}): EarlyAnswer {
  return {
    statusCode,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      ...STATIC_SECURITY_HEADERS,
      "content-security-policy": NO_SCRIPT_CONTENT_SECURITY_POLICY,
      ...headers,
    },
    body: `${body}\n`,
  };
}

/**
 * 405 for a method Fetch forbids, 400 when the converted event's URL does not parse (OpenNext builds
 * it from the Host or X-Forwarded-Host header, and its routing throws "Invalid URL", then again
 * while rendering the 500 page: the invocation fails and the Function URL answers 502).
 * undefined: OpenNext handles the request.
 */
export function answerBeforeHandler(request: { method: string; url: string }): EarlyAnswer | undefined {
  if (METHODS_FETCH_FORBIDS.has(request.method.toUpperCase()))
    return plainAnswer(405, `405 method not allowed: use ${ALLOW}`, { allow: ALLOW });
  if (!URL.canParse(request.url)) return plainAnswer(400, "400 bad request: the Host header is not a valid host");
  return undefined;
}

const wrapper: WrapperHandler<InternalEvent, InternalResult> = async (handler, converter) => {
  const runtime = globalThis as unknown as LambdaRuntimeGlobal;
  const streamifyResponse = runtime.awslambda?.streamifyResponse;
  if (streamifyResponse === undefined) {
    throw new StreamingWrapperConfigError(
      "awslambda.streamifyResponse is missing: this bundle runs only under the Lambda Node.js runtime (aws-lambda-ric)",
    );
  }
  const policy = compressionPolicyFromEnv();

  return streamifyResponse<unknown, void>(async (event, responseStream, context) => {
    // Deferred work (waitUntil) is awaited below; nothing else should hold the invocation open.
    context.callbackWaitsForEmptyEventLoop = false;

    // OpenNext's warmer function invokes the server with { type: "warmer", delay } and counts the
    // distinct serverIds it gets back.
    if (typeof event === "object" && event !== null && "type" in event) {
      const delay = Number((event as { delay?: unknown }).delay) || 0;
      await new Promise((resolve) => setTimeout(resolve, delay));
      responseStream.end(JSON.stringify({ type: "warmer", serverId: runtime.serverId }));
      await runtime.__next_route_preloader?.("warmerEvent");
      return;
    }

    const writeEarlyAnswer = (answer: EarlyAnswer) => {
      responseStream.setContentType(INTEGRATION_CONTENT_TYPE);
      responseStream.write(JSON.stringify({ statusCode: answer.statusCode, headers: answer.headers, cookies: [] }));
      responseStream.write(PRELUDE_SEPARATOR);
      responseStream.end(answer.body);
    };

    let internalEvent: InternalEvent;
    try {
      internalEvent = await converter.convertFrom(event);
    } catch (error) {
      console.error(`streaming-wrapper: 400, the event does not convert: ${(error as Error).message}`);
      return writeEarlyAnswer(plainAnswer(400, "400 bad request"));
    }
    const early = answerBeforeHandler(internalEvent);
    if (early !== undefined) {
      console.warn(`streaming-wrapper: ${early.statusCode} for ${internalEvent.method} ${internalEvent.url}`);
      return writeEarlyAnswer(early);
    }
    const acceptEncoding = headerValue(internalEvent.headers, "accept-encoding");
    let headersWritten = false;
    let body: Promise<void> | undefined;
    // Everything the body writes goes through `sink` into the Lambda stream, which only this handler
    // ends: cleanly once the body is over, or never when the page marked it incomplete (below).
    const sink = new PassThrough();
    const sinkDrained = new Promise<void>((resolve) => sink.once("end", resolve));
    sink.pipe(responseStream, { end: false });
    const statusChannel = createResponseStatusChannel();

    const streamCreator: StreamCreator = {
      // Streamed chunks are never read back on this path (the returned InternalResult's body is
      // ignored), so OpenNextNodeResponse need not keep them.
      retainChunks: false,
      writeHeaders(prelude) {
        headersWritten = true;
        const { statusCode, headers } = applyStatusOverride(statusChannel, prelude);
        const encoding = chooseResponseEncoding({
          method: internalEvent.method,
          acceptEncoding,
          statusCode,
          contentType: headerValue(headers, "content-type"),
          contentEncoding: headerValue(headers, "content-encoding"),
          policy,
        });
        if (policy === "negotiate") {
          const vary = headerValue(headers, "vary");
          deleteHeader(headers, "vary");
          headers.vary = vary ? `${vary}, accept-encoding` : "accept-encoding";
        }
        if (encoding !== "identity") {
          headers["content-encoding"] = encoding;
          // The length Next computed is the uncompressed one.
          deleteHeader(headers, "content-length");
        }
        // The prelude is written by hand rather than with awslambda.HttpResponseStream.from: from()
        // followed directly by end() sends no prelude at all (docs/lambda-streaming.md §1), which would
        // turn an empty 404 or redirect into a raw 200.
        responseStream.setContentType(INTEGRATION_CONTENT_TYPE);
        responseStream.write(JSON.stringify({ statusCode, headers, cookies: prelude.cookies }));
        responseStream.write(PRELUDE_SEPARATOR);
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

    responseStream.on("error", (error) => {
      console.error(`streaming-wrapper: response stream failed: ${error.message}`);
    });

    const pending = new Set<Promise<unknown>>();
    const waitUntil = (promise: Promise<void>) => {
      const tracked = promise.catch((error: unknown) =>
        console.error("streaming-wrapper: waitUntil task failed:", error),
      );
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    };

    const result = await withResponseStatusChannel(statusChannel, () =>
      handler(internalEvent, { streamCreator, waitUntil }),
    );

    // Node-runtime routes write their headers through the StreamCreator. A result that never did
    // (an edge-runtime route) is sent from the InternalResult instead.
    if (!headersWritten) {
      const out = streamCreator.writeHeaders(preludeFromResult(result));
      Readable.fromWeb(result.body as WebReadableStream).pipe(out);
    }

    while (pending.size > 0) await Promise.all(pending);
    // Throwing is how a streaming handler fails after writing: the runtime ends the response with
    // the Lambda-Runtime-Function-Error-Type trailer (docs/lambda-streaming.md §1), and a Function
    // URL cuts the client's body off without its end (§2). A clean end here would pass a partial
    // body off as whole.
    await body;
    await sinkDrained;
    // A body that ended well-formed but short (an error row after a DynamoDB failure) ends the same
    // way once every byte of it is out: CloudFront stores only complete responses, so no reader is
    // served this one from the edge (docs/decisions/027-catalog-at-the-edge.md).
    if (statusChannel.incomplete !== undefined) {
      // A browser reading through fetch() drops what it has received but not yet read when the
      // transfer fails (the Streams API empties an errored stream's queue), so the error line would
      // be lost; the pause lets it read to the end first. Only failed responses pay it (decision 027).
      await new Promise((resolve) => setTimeout(resolve, INCOMPLETE_END_DELAY_MS));
      throw new ResponseBodyFailedError(
        `the response body is incomplete (${statusChannel.incomplete}): ended abnormally so no cache stores it`,
      );
    }
    responseStream.end();
  });
};

const streamingWrapper: Wrapper<InternalEvent, InternalResult> = {
  name: "firstbyte-aws-lambda-streaming",
  wrapper,
  // Makes `open-next build` write "streaming": true to open-next.output.json, which is how
  // sst.aws.Nextjs turns on InvokeMode RESPONSE_STREAM for the Function URL.
  supportStreaming: true,
};

export default streamingWrapper;
