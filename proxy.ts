// Validates the catalog's query parameters before a route renders. A streamed page commits to its
// status with the first byte of the shell, so a 400 has to be decided here, not in the page.
import type { NextRequest } from "next/server";
import { badRequestHtml, badRequestJson } from "@/lib/bad-request-response";
import { config as catalogConfig } from "@/lib/config";
import { parseCatalogQuery, parseMode } from "@/lib/params";

export function proxy(request: NextRequest): Response | undefined {
  const { pathname, searchParams } = request.nextUrl;
  const parsed = parseCatalogQuery(searchParams, catalogConfig());
  const errors = parsed.ok ? [] : parsed.errors;
  if (pathname.startsWith("/api/")) {
    const mode = parseMode(searchParams);
    if (!mode.ok) errors.push(...mode.errors);
    return errors.length > 0 ? badRequestJson(errors) : undefined;
  }
  return errors.length > 0 ? badRequestHtml(errors) : undefined;
}

export const config = {
  matcher: ["/bikes", "/bikes/buffered", "/bikes/client", "/api/bikes"],
};
