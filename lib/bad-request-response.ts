// The 400 answers the proxy sends before a page or route starts streaming: once a streamed page has
// sent its shell, its status (200) is on the wire and cannot change, so bad input is caught here.
import { escapeHtml } from "@/lib/escape-html";
import type { ParamError } from "@/lib/params";

export function badRequestHtml(errors: ParamError[]): Response {
  const items = errors
    .map(
      (e) =>
        `<li data-param="${escapeHtml(e.param)}"><code>${escapeHtml(e.param)}</code>: ${escapeHtml(e.message)}</li>`,
    )
    .join("");
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>400 — bad request · Firstbyte</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;margin:2rem"><main><h1>400 — bad request</h1>
<div class="error" role="alert"><ul>${items}</ul></div><p><a href="/bikes">Back to the catalog</a></p></main></body></html>`;
  return new Response(html, {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export function badRequestJson(errors: ParamError[]): Response {
  return Response.json({ error: "bad_request", errors }, { status: 400, headers: { "cache-control": "no-store" } });
}
