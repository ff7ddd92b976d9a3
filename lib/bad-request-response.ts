// The 400 answers the proxy sends before a page or route starts streaming: once a streamed page has
// sent its shell, its status (200) is on the wire and cannot change, so bad input is caught here.
import { escapeHtml } from "@/lib/escape-html";
import { errorDocument } from "@/lib/http-error-response";
import type { ParamError } from "@/lib/params";

export function badRequestHtml(errors: ParamError[]): Response {
  const items = errors
    .map(
      (e) =>
        `<li data-param="${escapeHtml(e.param)}"><code>${escapeHtml(e.param)}</code>: ${escapeHtml(e.message)}</li>`,
    )
    .join("");
  const html = errorDocument("400 — bad request", `<div class="error" role="alert"><ul>${items}</ul></div>`);
  return new Response(html, {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export function badRequestJson(errors: ParamError[]): Response {
  return Response.json({ error: "bad_request", errors }, { status: 400, headers: { "cache-control": "no-store" } });
}
