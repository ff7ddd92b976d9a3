// The one escaper for text put into HTML or SVG markup: the proxy's 400 page and the bench's
// reports and charts. Scripts import it from here (lib/ imports nothing from scripts/).

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for element content and for attribute values in either quote. `&#39;` rather than
 * `&apos;`: a numeric reference means the same in HTML and XML (SVG), `&apos;` is not HTML 4.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
