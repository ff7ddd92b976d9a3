// The Cache-Control of a complete catalog response: public data that a shared cache (CloudFront in
// production, the local edge of `npm start`) may store for `s-maxage` and serve stale while one
// reader refreshes it. Browsers keep nothing (max-age=0). Only a response that ends cleanly is
// stored: a failure after the first byte ends the stream abnormally (markResponseIncomplete), and
// errors keep their own `no-store`. Why these lifetimes, and why a stored page may repeat its CSP
// nonce: docs/decisions/027-catalog-at-the-edge.md.
import { config, type EdgeCachePolicy } from "./config";
import { incompleteMarker, markResponseIncomplete, requestResponseStatus } from "./response-status";

/** The header for `policy`; `no-store` when s-maxage is 0 (the edge then stores nothing). */
export function sharedCacheControl(policy: EdgeCachePolicy): string {
  if (policy.sMaxAgeS === 0) return "no-store";
  const parts = ["public", "max-age=0", `s-maxage=${policy.sMaxAgeS}`];
  if (policy.staleWhileRevalidateS > 0) parts.push(`stale-while-revalidate=${policy.staleWhileRevalidateS}`);
  if (policy.staleIfErrorS > 0) parts.push(`stale-if-error=${policy.staleIfErrorS}`);
  return parts.join(", ");
}

/** Headers for a route handler's successful catalog response. */
export function catalogCacheHeaders(): { "cache-control": string } {
  return { "cache-control": sharedCacheControl(config().edgeCache) };
}

/**
 * For a page: asks the Lambda wrapper to send the shared-cache header in place of Next's
 * `private, no-store` (Next 16 lets a dynamic page set no Cache-Control of its own). A later
 * request for a 503 replaces it; under `next start` there is no channel and the page stays private.
 */
export function shareCatalogPage(): void {
  requestResponseStatus(200, catalogCacheHeaders());
}

/** A failure after the first byte: the stream must not end cleanly, or a cache would replay it. */
export function endIncomplete(reason: string): void {
  markResponseIncomplete(reason);
}

/** endIncomplete bound to this request, for a body stream whose `pull` may run outside its context. */
export function incompleteEnder(): (reason: string) => void {
  const mark = incompleteMarker();
  return (reason) => void mark(reason);
}
