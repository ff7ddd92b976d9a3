import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { parseContentEncoding, TimedDecoder } from "./decode.ts";
import { MeasureError } from "./errors.ts";
import { MarkerScanner } from "./markers.ts";

export interface MeasureOptions {
  /** Request headers. Without an `accept-encoding` header, `accept-encoding: identity` is sent. */
  headers?: Record<string, string>;
  /** Name → text; the arrival time of the first occurrence of each text is reported. */
  markers?: Record<string, string>;
  /** Deadline for the whole request, from start to the last body byte. Default 30,000 ms. */
  timeoutMs?: number;
  /** HTTP method. Default `GET`. */
  method?: string;
  signal?: AbortSignal;
  /** Keep the (content-decoded) body as `body`. Default false: only sizes and the marker scan. */
  keepBody?: boolean;
  /** Called once per body chunk, after every byte of its socket read has been counted. */
  onChunk?: (chunk: ChunkArrival, index: number) => void;
}

/** One body chunk as one socket read delivered it. */
export interface ChunkArrival {
  /** Milliseconds from request start to the socket read that carried this chunk. */
  atMs: number;
  /** Body bytes in the read, transfer-decoded (no chunked framing) but not content-decoded. */
  bytes: number;
}

export interface Measurement {
  url: string;
  status: number;
  headers: Record<string, string | string[]>;
  /** DNS lookup finished, from request start; `undefined` when the host is an IP literal. */
  dnsMs: number | undefined;
  /** TCP handshake finished, from request start (includes the DNS lookup). */
  tcpConnectMs: number;
  /** Connection ready to carry the request: the TCP handshake for http, the TLS handshake for https. */
  connectMs: number;
  /** First byte of the response head (the status line), from request start. */
  ttfbMs: number;
  /** First body byte, from request start; `undefined` for an empty body. */
  firstBodyByteMs: number | undefined;
  /** Every body chunk in arrival order, one per socket read. */
  chunks: ChunkArrival[];
  /** First arrival of each marker's text in the content-decoded body; `undefined` if never seen. */
  markers: Record<string, number | undefined>;
  /** End of the response body, from request start. */
  totalMs: number;
  /** Body bytes on the wire after transfer decoding (compressed size when content-encoded). */
  bytes: number;
  /** Body bytes after content decoding (equals `bytes` for identity). */
  decodedBytes: number;
  /** The content-decoded body as UTF-8, only with `keepBody: true`. */
  body?: string;
}

/** CloudFront's default origin response timeout is 30 s, so a page slower than that fails anyway. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Sends one request on a fresh connection and records when each part of the response arrived.
 *
 * Non-2xx answers resolve like any other (check `status`); only a request that yields no
 * complete response rejects, with a {@link MeasureError}.
 */
export function measure(url: string, options: MeasureOptions = {}): Promise<Measurement> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new MeasureError("invalid-url", url, `not a valid URL: ${url}`));
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return Promise.reject(
      new MeasureError("invalid-url", url, `only http: and https: URLs are supported, got ${target.protocol}`),
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return Promise.reject(
      new MeasureError("invalid-option", url, `timeoutMs must be a positive number, got ${timeoutMs}`),
    );
  }
  let scanner: MarkerScanner;
  try {
    scanner = new MarkerScanner(options.markers ?? {});
  } catch (error) {
    return Promise.reject(new MeasureError("invalid-option", url, (error as Error).message));
  }
  if (options.signal?.aborted) {
    return Promise.reject(new MeasureError("aborted", url, `request to ${url} was aborted`));
  }
  return run(url, target, scanner, timeoutMs, options);
}

function requestHeaders(given: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...given };
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  // Identity by default: CloudFront does not compress chunked (length-less) responses, so the
  // uncompressed stream is what a browser behind it gets; asking for br here would measure
  // something else unless the user says so.
  if (!names.has("accept-encoding")) headers["accept-encoding"] = "identity";
  if (!names.has("user-agent")) headers["user-agent"] = "ttfb (@firstbyte/ttfb)";
  return headers;
}

function run(
  url: string,
  target: URL,
  scanner: MarkerScanner,
  timeoutMs: number,
  options: MeasureOptions,
): Promise<Measurement> {
  return new Promise<Measurement>((resolve, reject) => {
    const isHttps = target.protocol === "https:";
    const keptBody: Buffer[] | undefined = options.keepBody ? [] : undefined;
    const chunks: ChunkArrival[] = [];
    let dnsMs: number | undefined;
    let tcpConnectMs: number | undefined;
    let connectMs: number | undefined;
    let ttfbMs: number | undefined;
    // Each socket read gets a sequence number; body pieces the HTTP parser emits for the same
    // read (one per chunked-encoding chunk) are merged into one ChunkArrival.
    let readSeq = 0;
    let readAtMs = 0;
    let lastChunkSeq = -1;
    let bytes = 0;
    let decodedBytes = 0;
    let responseStarted = false;
    let settled = false;
    let decoder: TimedDecoder | undefined;

    const startedAt = performance.now();
    const sinceStart = (): number => performance.now() - startedAt;

    const onDecoded = (piece: Buffer, atMs: number): void => {
      decodedBytes += piece.length;
      scanner.push(piece, atMs);
      keptBody?.push(piece);
    };

    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: MeasureError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      decoder?.destroy();
      req.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new MeasureError("aborted", url, `request to ${url} was aborted`));

    const transport = isHttps ? https : http;
    // agent: false gives every run its own connection, so connect time is measured, not reused.
    const req = transport.request(target, {
      method: options.method ?? "GET",
      headers: requestHeaders(options.headers),
      agent: false,
    });
    const timer = setTimeout(
      () => fail(new MeasureError("timeout", url, `request to ${url} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    options.signal?.addEventListener("abort", onAbort, { once: true });

    req.on("socket", (socket: Socket) => {
      socket.setNoDelay(true);
      socket.once("lookup", () => {
        dnsMs = sinceStart();
      });
      socket.once("connect", () => {
        tcpConnectMs = sinceStart();
        if (!isHttps) connectMs = tcpConnectMs;
      });
      if (isHttps) {
        socket.once("secureConnect", () => {
          connectMs = sinceStart();
        });
      }
      // Prepended so it runs before the HTTP parser's own listener: the parser emits the body
      // pieces of this read synchronously, and they must see this read's time.
      socket.prependListener("data", () => {
        readSeq += 1;
        readAtMs = sinceStart();
        ttfbMs ??= readAtMs;
      });
    });

    req.on("error", (error: NodeJS.ErrnoException) => {
      if (responseStarted) {
        fail(
          new MeasureError("incomplete-response", url, `response from ${url} ended early: ${error.message}`, {
            cause: error,
          }),
        );
      } else {
        fail(new MeasureError("network", url, `request to ${url} failed: ${error.message}`, { cause: error }));
      }
    });

    req.on("response", (res: http.IncomingMessage) => {
      responseStarted = true;
      const coding = parseContentEncoding(res.headers["content-encoding"]);
      if (coding === undefined) {
        fail(
          new MeasureError(
            "unsupported-encoding",
            url,
            `cannot decode content-encoding "${String(res.headers["content-encoding"])}" from ${url} (supported: gzip, deflate, br)`,
          ),
        );
        return;
      }
      if (coding !== "identity") {
        decoder = new TimedDecoder(coding, onDecoded, (error) =>
          fail(
            new MeasureError("decode", url, `cannot decode ${coding} body from ${url}: ${error.message}`, {
              cause: error,
            }),
          ),
        );
      }

      res.on("data", (piece: Buffer) => {
        const atMs = readAtMs;
        const last = chunks[chunks.length - 1];
        if (last && lastChunkSeq === readSeq) last.bytes += piece.length;
        else {
          const chunk: ChunkArrival = { atMs, bytes: piece.length };
          const index = chunks.push(chunk) - 1;
          // The parser emits every body piece of one read synchronously, so by the time
          // microtasks run the chunk is complete.
          if (options.onChunk) queueMicrotask(() => options.onChunk?.(chunk, index));
        }
        lastChunkSeq = readSeq;
        bytes += piece.length;
        if (decoder) decoder.write(piece, atMs);
        else onDecoded(piece, atMs);
      });

      res.on("error", (error: Error) => {
        fail(
          new MeasureError("incomplete-response", url, `response from ${url} ended early: ${error.message}`, {
            cause: error,
          }),
        );
      });
      res.on("close", () => {
        if (!res.complete)
          fail(new MeasureError("incomplete-response", url, `response from ${url} ended before its end`));
      });

      res.on("end", () => {
        const totalMs = sinceStart();
        const finish = (): void => {
          if (settled) return;
          settled = true;
          cleanup();
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = value;
          const measurement: Measurement = {
            url,
            status: res.statusCode ?? 0,
            headers,
            dnsMs,
            tcpConnectMs: tcpConnectMs ?? connectMs ?? 0,
            connectMs: connectMs ?? tcpConnectMs ?? 0,
            ttfbMs: ttfbMs ?? totalMs,
            firstBodyByteMs: chunks[0]?.atMs,
            chunks,
            markers: scanner.results(),
            totalMs,
            bytes,
            decodedBytes,
          };
          if (keptBody) measurement.body = Buffer.concat(keptBody).toString("utf8");
          resolve(measurement);
        };
        if (decoder) decoder.end().then(finish, () => undefined /* reported through onError */);
        else finish();
      });
    });

    req.end();
  });
}
