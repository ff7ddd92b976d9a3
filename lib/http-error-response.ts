// The answers proxy.ts gives to requests no route should see: a method the app does not serve (405)
// and a path whose percent-encoding does not decode (400). Sent before any route runs, so no
// DynamoDB request is made for them. Messages are fixed text: nothing from the request is echoed.

/** Every route of the app only reads: pages and /api/bikes answer GET and HEAD. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

export type ErrorFormat = "html" | "json";

interface HttpError {
  status: 400 | 404 | 405;
  code: string;
  title: string;
  message: string;
}

export const METHOD_NOT_ALLOWED: HttpError = {
  status: 405,
  code: "method_not_allowed",
  title: "405 — method not allowed",
  message: `This site only reads: use ${ALLOWED_METHODS.join(" or ")}.`,
};

export const MALFORMED_PATH: HttpError = {
  status: 400,
  code: "malformed_path",
  title: "400 — bad request",
  message:
    "The address has a malformed percent-encoding (a % not followed by two hex digits, or bytes that are not UTF-8).",
};

export const API_NOT_FOUND: HttpError = {
  status: 404,
  code: "not_found",
  title: "404 — not found",
  message: "There is no such API route; the catalog is at /api/bikes.",
};

/** The plain document of an answer sent before any route runs; `alertHtml` is already escaped. */
export function errorDocument(title: string, alertHtml: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title} · Firstbyte</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;margin:2rem"><main><h1>${title}</h1>
${alertHtml}<p><a href="/bikes">Back to the catalog</a></p></main></body></html>`;
}

export function httpErrorResponse(error: HttpError, format: ErrorFormat): Response {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (error.status === 405) headers.allow = ALLOWED_METHODS.join(", ");
  if (format === "json")
    return Response.json({ error: error.code, message: error.message }, { status: error.status, headers });
  const html = errorDocument(
    error.title,
    `<p class="error" role="alert" data-error="${error.code}">${error.message}</p>`,
  );
  return new Response(html, {
    status: error.status,
    headers: { ...headers, "content-type": "text/html; charset=utf-8" },
  });
}

/** False when a path's percent-encoding does not decode to UTF-8 (`/bikes/%`, `/bikes/%ff%fe`). */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
