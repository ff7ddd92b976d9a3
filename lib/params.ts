// Validation of the catalog's query parameters, shared by /bikes (HTML) and /api/bikes (NDJSON) and
// by the proxy that answers 400 before anything streams. Pure, so it is unit-tested directly.
// The cursor entry only: this module runs in proxy.ts before every route, and the package root
// would bundle the DynamoDB client into it (decision 019).
import { decodeCursor, InvalidCursorError, type Key } from "@firstbyte/dynamo-pages/cursor";
import { BIKE_KEY_SCHEMA } from "./bike";
import type { CatalogConfig, WorkBudget } from "./config";
import { parseWholeNumber, quotedValue } from "./whole-number";

export interface CatalogQuery {
  pageSize: number;
  /**
   * Items asked for in the first Scan page; later pages double up to pageSize. Equal to pageSize
   * when the request gives pageSize (then every page has that size, as asked).
   */
  firstPageSize: number;
  segments: number;
  /** Stop after this many items and hand back a cursor to go on from. */
  limit: number | undefined;
  /** Where the previous response stopped (a decoded LastEvaluatedKey). */
  cursor: Key | undefined;
  /** The cursor as given, to echo back. */
  cursorToken: string | undefined;
  /** The configured ceilings, lowered where the request asked (budgetBytes, budgetMs, budgetScans). */
  budget: WorkBudget;
}

export interface ParamError {
  param: string;
  message: string;
}

export type ParseResult = { ok: true; query: CatalogQuery } | { ok: false; errors: ParamError[] };

export const LIMITS = {
  pageSize: { min: 1, max: 1000 },
  // 16 segments already saturate a Lambda's network; more only adds request overhead.
  segments: { min: 1, max: 16 },
  limit: { min: 1, max: 1_000_000 },
} as const;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function values(params: Params, name: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(name);
  const value = params[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Query parameters that lower a budget, and the budget each lowers. */
export const BUDGET_PARAMS = { budgetBytes: "bytes", budgetMs: "ms", budgetScans: "scanRequests" } as const;

function wholeNumber(
  params: Params,
  name: string,
  errors: ParamError[],
  { min, max }: { min: number; max: number } = LIMITS[name as keyof typeof LIMITS],
): number | undefined {
  const given = values(params, name);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    errors.push({ param: name, message: `${name} was given ${given.length} times; give it once` });
    return undefined;
  }
  const result = parseWholeNumber(given[0] as string, { min, max });
  if (!result.ok) {
    errors.push({ param: name, message: `${name} ${result.problem}` });
    return undefined;
  }
  return result.value;
}

/** Page sizes when the request sets none, and the budget ceilings (lib/config.ts). */
export type CatalogDefaults = Pick<CatalogConfig, "defaultPageSize" | "firstPageSize" | "budget">;

export function parseCatalogQuery(params: Params, defaults: CatalogDefaults): ParseResult {
  const errors: ParamError[] = [];
  const givenPageSize = wholeNumber(params, "pageSize", errors);
  const pageSize = givenPageSize ?? defaults.defaultPageSize;
  const firstPageSize = givenPageSize ?? Math.min(defaults.firstPageSize, pageSize);
  const segments = wholeNumber(params, "segments", errors) ?? 1;
  const limit = wholeNumber(params, "limit", errors);
  // A request may ask for less work than the configured ceiling, never more: over it is a 400
  // naming the ceiling, not a silent cut.
  const budget = { ...defaults.budget };
  for (const [name, field] of Object.entries(BUDGET_PARAMS)) {
    const value = wholeNumber(params, name, errors, { min: 1, max: defaults.budget[field] });
    if (value !== undefined) budget[field] = value;
  }

  let cursor: Key | undefined;
  let cursorToken: string | undefined;
  const cursors = values(params, "cursor");
  if (cursors.length > 1) {
    errors.push({ param: "cursor", message: `cursor was given ${cursors.length} times; give it once` });
  } else if (cursors.length === 1) {
    cursorToken = cursors[0] as string;
    try {
      cursor = decodeCursor(cursorToken, BIKE_KEY_SCHEMA);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      errors.push({
        param: "cursor",
        message: `${error.message} Use the cursor from a "next" link or NDJSON line as it was given.`,
      });
    }
  }

  // A parallel scan has one position per segment, so a single cursor cannot say where to go on.
  if (segments > 1 && (limit !== undefined || cursorToken !== undefined)) {
    errors.push({
      param: "segments",
      message: "limit and cursor need segments=1: a parallel scan has no single position to resume from",
    });
  }

  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, query: { pageSize, firstPageSize, segments, limit, cursor, cursorToken, budget } };
}

export type ResponseMode = "streamed" | "buffered";

export function parseMode(params: Params): { ok: true; mode: ResponseMode } | { ok: false; errors: ParamError[] } {
  const given = values(params, "mode");
  if (given.length === 0) return { ok: true, mode: "streamed" };
  const mode = given[0];
  if (given.length === 1 && (mode === "streamed" || mode === "buffered")) return { ok: true, mode };
  return {
    ok: false,
    errors: [
      { param: "mode", message: `mode must be "streamed" or "buffered", got "${quotedValue(given.join(","))}"` },
    ],
  };
}
