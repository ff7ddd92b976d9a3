// Requests OpenNext cannot represent, answered by the wrapper before the handler runs: a method
// Fetch forbids (405) and a Host that makes no URL (400) (decision 014).
import { ALLOWED_METHODS } from "../lib/http-error-response.ts";
import { NO_SCRIPT_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "../lib/security-headers.ts";

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

export function plainAnswer(statusCode: number, body: string, headers: Record<string, string> = {}): EarlyAnswer {
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
