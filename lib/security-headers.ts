// The security headers every response of the app carries (set by proxy.ts), and the Content-Security-
// Policy of its pages. HSTS is not here: it belongs to the HTTPS edge (sst.config.ts), since the local
// stack speaks plain HTTP.

/**
 * Who may show a page in a frame: nobody, or pages of the app's own origin (only the catalogs that
 * /compare shows side by side in iframes, decision 017; 'self' still keeps other sites out).
 */
export type Framing = "none" | "same-origin";

const FRAME_ANCESTORS: Record<Framing, string> = { none: "'none'", "same-origin": "'self'" };
const X_FRAME_OPTIONS: Record<Framing, string> = { none: "DENY", "same-origin": "SAMEORIGIN" };

/** Headers that do not depend on the response: no MIME sniffing, no referrer, no framing. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // frame-ancestors in the CSP is the standard; x-frame-options covers browsers that predate it.
  "x-frame-options": "DENY",
};

/**
 * The CSP of an HTML page: scripts only with this response's nonce. Next reads the nonce from the
 * request's Content-Security-Policy header and puts it on its own scripts and on React's streamed
 * boundary scripts ($RC); 'strict-dynamic' lets those load the page's chunks.
 * Styles allow inline: `inlineCss` (next.config.js) inlines the stylesheet, and a style-src nonce
 * would also block the style attributes React writes. Inline styles cannot run code.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  { dev = false, framing = "none" }: { dev?: boolean; framing?: Framing } = {},
): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code to rebuild server stacks; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${FRAME_ANCESTORS[framing]}`,
  ].join("; ");
}

/** The CSP of a response that runs nothing: JSON, and the proxy's own error pages (inline styles only). */
export const NO_SCRIPT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A fresh, unguessable nonce per response (128 bits, base64). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Sets the static security headers and the given CSP on a response, keeping any it already has;
 * `framing` must match the CSP's frame-ancestors.
 */
export function withSecurityHeaders(
  response: Response,
  contentSecurityPolicy: string,
  framing: Framing = "none",
): Response {
  const headers = { ...STATIC_SECURITY_HEADERS, "x-frame-options": X_FRAME_OPTIONS[framing] };
  for (const [name, value] of Object.entries(headers))
    if (!response.headers.has(name)) response.headers.set(name, value);
  if (!response.headers.has("content-security-policy"))
    response.headers.set("content-security-policy", contentSecurityPolicy);
  return response;
}
