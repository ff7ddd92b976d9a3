import { type CatalogKey, cursorFor } from "@/lib/catalog";

/** The request's query string with the cursor set to go on after `key` (relative: same path). */
export function hrefWithCursor(search: URLSearchParams, key: CatalogKey): string {
  const params = new URLSearchParams(search);
  params.set("cursor", cursorFor(key));
  return `?${params.toString()}`;
}

/** The same request again: a plain link reloads the document, so every page is read anew. */
export function hrefAgain(pathname: string, search: URLSearchParams): string {
  return search.size > 0 ? `${pathname}?${search.toString()}` : pathname;
}

/** The same request from the first bike with one segment: a parallel scan cannot be continued (decision 012). */
export function hrefOneSegment(pathname: string, search: URLSearchParams): string {
  const params = new URLSearchParams(search);
  params.delete("segments");
  params.delete("cursor");
  return hrefAgain(pathname, params);
}
