// What `npm run perf:budget` reads from each response of a chain: the bikes it holds, why it
// stopped, and the URL that goes on ("Next bikes →" in the HTML, the final line's cursor in the
// NDJSON). Apart from the script so it is unit-tested without a server.
import { bikeIdsOf, ndjsonLines } from "../harness/ndjson";
import { attributeOf, bikeRowIds, linkOf, openingTag } from "../harness/server-html";

export type ChainFormat = "html" | "ndjson";

/** One response of a chain, as read from its body. */
export interface ChainStep {
  /** Bike ids in the order the response holds them. */
  ids: string[];
  /** The count the response says it showed (the closing line or the final line), when it says one. */
  count: number | undefined;
  /** The budget that stopped it ("bytes", "time", "scanRequests"); undefined when the table ended. */
  stoppedBy: string | undefined;
  /** The URL of the next response of the chain; undefined at its end. */
  next: string | undefined;
}

/** A response that is neither a page of the chain nor its end (a failure row, an error line). */
export class ChainError extends Error {}

/** `/bikes`: rows are `<tr data-bike-id>`, the closing line is `#catalog-summary`, the link `#catalog-next`. */
export function readHtmlStep(html: string, url: string): ChainStep {
  if (openingTag(html, "catalog-error") !== undefined)
    throw new ChainError(`${url}: the page shows a failure row (#catalog-error), not a budget stop`);
  if (openingTag(html, "catalog-summary") === undefined)
    throw new ChainError(`${url}: no closing line (#catalog-summary); the page did not end`);
  const count = attributeOf(html, "catalog-summary", "data-count");
  return {
    ids: bikeRowIds(html),
    count: count === undefined ? undefined : Number(count),
    stoppedBy: attributeOf(html, "catalog-summary", "data-stopped-by"),
    next: linkOf(html, "catalog-next", url),
  };
}

interface NdjsonLine {
  items?: Array<{ id: string }>;
  stopped?: string;
  budget?: string;
  count?: number;
  cursor?: string;
  error?: string;
  message?: string;
}

/** `/api/bikes`: one line per Scan page, then, when a budget stopped it, `{"stopped","budget","count","cursor"}`. */
export function readNdjsonStep(ndjson: string, url: string): ChainStep {
  const lines = ndjsonLines<NdjsonLine>(ndjson);
  const last = lines.at(-1);
  if (last?.error) throw new ChainError(`${url}: ends with an error line: ${last.error}: ${last.message ?? ""}`);
  const ids = bikeIdsOf(lines);
  if (last?.stopped === undefined) return { ids, count: undefined, stoppedBy: undefined, next: undefined };
  if (last.cursor === undefined) throw new ChainError(`${url}: stopped (${last.budget}) with no cursor to go on`);
  const next = new URL(url);
  next.searchParams.set("cursor", last.cursor);
  return { ids, count: last.count, stoppedBy: last.budget, next: next.toString() };
}

export interface Coverage {
  /** Ids read over the whole chain, repeats included. */
  read: number;
  /** Ids read more than once. */
  repeated: string[];
  /** Expected ids never read. */
  missing: string[];
  /** Ids read that were not expected. */
  unexpected: string[];
}

/** Whether a chain read every expected id exactly once. */
export function coverage(steps: readonly ChainStep[], expected: Iterable<string>): Coverage {
  const times = new Map<string, number>();
  for (const step of steps) for (const id of step.ids) times.set(id, (times.get(id) ?? 0) + 1);
  const expectedIds = new Set(expected);
  return {
    read: steps.reduce((sum, step) => sum + step.ids.length, 0),
    repeated: [...times].filter(([, n]) => n > 1).map(([id]) => id),
    missing: [...expectedIds].filter((id) => !times.has(id)),
    unexpected: [...times.keys()].filter((id) => !expectedIds.has(id)),
  };
}

/** A chain's problems in one line each; empty when it read every id once. */
export function coverageProblems(result: Coverage): string[] {
  const some = (ids: string[]) => `${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""}`;
  const problems: string[] = [];
  if (result.repeated.length > 0)
    problems.push(`${result.repeated.length} bikes read twice or more (${some(result.repeated)})`);
  if (result.missing.length > 0) problems.push(`${result.missing.length} bikes never read (${some(result.missing)})`);
  if (result.unexpected.length > 0)
    problems.push(`${result.unexpected.length} bikes read that the seed did not write (${some(result.unexpected)})`);
  return problems;
}
