// Which coding a response gets and the zlib stream that applies it: identity unless the client
// asks, brotli at quality 4, never for HEAD, bodiless or binary responses (decision 004).
import zlib from "node:zlib";
import { StreamingWrapperConfigError } from "./errors.ts";

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

export function createEncoder(encoding: Exclude<ResponseEncoding, "identity">): zlib.BrotliCompress | zlib.Gzip {
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

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/** Marks `headers` (in place) for the chosen coding: Vary when negotiating, Content-Encoding, no stale length. */
export function markEncoding(
  headers: Record<string, string>,
  encoding: ResponseEncoding,
  policy: CompressionPolicy,
): void {
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
}
