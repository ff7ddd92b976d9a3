// Any /api/ path without a route of its own: a JSON 404, as an API client expects, not the HTML
// not-found page. Other methods than GET and HEAD never get here (proxy.ts answers 405).
import { API_NOT_FOUND, httpErrorResponse } from "@/lib/http-error-response";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return httpErrorResponse(API_NOT_FOUND, "json");
}
