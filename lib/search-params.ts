/** What Next hands a page as `searchParams`. */
export type SearchParams = Record<string, string | string[] | undefined>;

export function toSearchParams(params: SearchParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) search.append(name, one);
  }
  return search;
}
