// A request that must reach the function, not a copy stored at the edge, on a deployed stage as
// locally (a measurement of the function through CloudFront, the e2e tests that need a fresh
// render). The edge keys on the whole query string (CloudFront's cache policy for the server does,
// and so does the local edge), and the catalog ignores a parameter it
// does not know, so a query parameter with a value never used before is a miss everywhere, deployed
// or local (decision 029).
export const EDGE_BYPASS_PARAM = "fresh";

/** `url` (absolute, or a path with or without a query) with a `fresh` parameter no earlier request had. */
export function bypassEdge(url: string, token: string = crypto.randomUUID()): string {
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  return `${base}${base.includes("?") ? "&" : "?"}${EDGE_BYPASS_PARAM}=${encodeURIComponent(token)}`;
}
