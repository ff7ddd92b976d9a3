// Every bike as one CSV download, streamed from the Scan (lib/export-stream.ts).
// proxy.ts answers bad input with 400 before this runs; the check here keeps the route whole on its own.
import { badRequestJson } from "@/lib/bad-request-response";
import { parseExportRequest } from "@/lib/bike-export";
import { exportResponse } from "@/lib/export-stream";
import { readerRequestId } from "@/lib/scan-failure";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> | Response {
  const url = new URL(request.url);
  const parsed = parseExportRequest(url.pathname, url.searchParams);
  if (!parsed.ok) return badRequestJson(parsed.errors);
  return exportResponse(parsed.format, { signal: request.signal, requestId: readerRequestId() });
}
