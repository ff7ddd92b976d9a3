// Runs before every route (Next 16's proxy, formerly middleware). A streamed page commits to its
// status with the first byte of the shell, so whatever must not be a 200 is decided here, before
// any route runs and before any DynamoDB request:
// - a method other than GET or HEAD: 405 with Allow (every route of the app only reads);
// - a path whose percent-encoding does not decode: 400 (Next's route matcher would throw a 500);
// - bad catalog query parameters, an unknown export format or any export parameter: 400 naming it.
// Every response it lets through gets the security headers and, for pages, a CSP with a fresh nonce
// that Next puts on its scripts (lib/security-headers.ts).
import { type NextRequest, NextResponse } from "next/server";
import { badRequestHtml, badRequestJson } from "@/lib/bad-request-response";
import { isExportPath, parseExportRequest } from "@/lib/bike-export";
import { config as catalogConfig } from "@/lib/config";
import {
  ALLOWED_METHODS,
  type ErrorFormat,
  httpErrorResponse,
  isDecodablePath,
  MALFORMED_PATH,
  METHOD_NOT_ALLOWED,
} from "@/lib/http-error-response";
import { parseCatalogQuery, parseMode } from "@/lib/params";
import {
  createNonce,
  NO_SCRIPT_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  withSecurityHeaders,
} from "@/lib/security-headers";

/** Routes whose query parameters are the catalog's (validated before anything streams). */
const CATALOG_PAGES = new Set(["/bikes", "/bikes/buffered", "/bikes/client"]);
const CATALOG_API = "/api/bikes";
/** The pages /compare shows in same-origin iframes (decision 017); every other page forbids framing. */
const FRAMED_PAGES = new Set(["/bikes", "/bikes/buffered"]);

export function proxy(request: NextRequest): Response {
  const { pathname, searchParams } = request.nextUrl;
  const api = pathname === "/api" || pathname.startsWith("/api/");
  const format: ErrorFormat = api ? "json" : "html";
  const reject = (response: Response) => withSecurityHeaders(response, NO_SCRIPT_CONTENT_SECURITY_POLICY);

  if (!(ALLOWED_METHODS as readonly string[]).includes(request.method))
    return reject(httpErrorResponse(METHOD_NOT_ALLOWED, format));
  if (!isDecodablePath(pathname)) return reject(httpErrorResponse(MALFORMED_PATH, format));

  if (pathname === CATALOG_API) {
    const parsed = parseCatalogQuery(searchParams, catalogConfig());
    const mode = parseMode(searchParams);
    const errors = [...(parsed.ok ? [] : parsed.errors), ...(mode.ok ? [] : mode.errors)];
    if (errors.length > 0) return reject(badRequestJson(errors));
  } else if (isExportPath(pathname)) {
    const parsed = parseExportRequest(pathname, searchParams);
    if (!parsed.ok) return reject(badRequestJson(parsed.errors));
  } else if (CATALOG_PAGES.has(pathname)) {
    const parsed = parseCatalogQuery(searchParams, catalogConfig());
    if (!parsed.ok) return reject(badRequestHtml(parsed.errors));
  }

  if (api) return withSecurityHeaders(NextResponse.next(), NO_SCRIPT_CONTENT_SECURITY_POLICY);
  const framing = FRAMED_PAGES.has(pathname) ? "same-origin" : "none";
  const csp = pageContentSecurityPolicy(createNonce(), { dev: process.env.NODE_ENV === "development", framing });
  // Next takes the nonce from the request's CSP header (Next's guide "Content Security Policy", nonces).
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, framing);
}

export const config = {
  // Everything but the hashed build files (served before the function, from S3 on AWS). OpenNext
  // 4.1.12 ignores a matcher's `has`/`missing` conditions, so the path is the only filter.
  matcher: ["/((?!_next/static/|_next/image).*)"],
};
