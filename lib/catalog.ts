// The catalog's data access for pages and route handlers: the only module that reads bikes.
// Server-only, so a client component that imports it fails the build instead of leaking the client.
import "server-only";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { encodeCursor, type Key, type ScanPage, scanPages } from "@firstbyte/dynamo-pages";
import { cache } from "react";
import { type CatalogItem, isIncomplete } from "./bike";
import { checkBikeRecord } from "./bike-record";
import { config } from "./config";
import { documentClient } from "./dynamo";
import type { CatalogQuery } from "./params";
import { type BudgetStop, budgetStop } from "./work-budget";

export type BikePage = ScanPage<CatalogItem>;

/** Longest id a log line repeats: DynamoDB allows 2,048 bytes, a log line needs far fewer. */
const LOGGED_ID_CHARS = 256;

/**
 * An item as read, checked before anything formats it; a malformed one is logged once, as one JSON
 * line naming its id and its bad fields (docs/decisions/024-hostile-items-cost-one-row.md).
 */
function checkedItem(item: unknown): CatalogItem {
  const checked = checkBikeRecord(item);
  if (isIncomplete(checked)) {
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "bike_record_invalid",
        id: checked.id.slice(0, LOGGED_ID_CHARS),
        fields: checked.incomplete,
      }),
    );
  }
  return checked;
}

/** Scan pages whose items are checked, each yielded as it arrives. */
async function* checkedPages(
  pages: AsyncGenerator<ScanPage<unknown>, void, undefined>,
): AsyncGenerator<BikePage, void, undefined> {
  try {
    for await (const page of pages) yield { ...page, items: page.items.map(checkedItem) };
  } finally {
    await pages.return(undefined);
  }
}

/** The catalog's Scan pages, each yielded the moment DynamoDB returns it. */
export function bikePages(query: CatalogQuery, signal?: AbortSignal): AsyncGenerator<BikePage, void, undefined> {
  return checkedPages(
    scanPages(documentClient(), {
      table: config().table,
      pageSize: query.pageSize,
      firstPageSize: query.firstPageSize,
      segments: query.segments,
      startKey: query.cursor,
      maxItems: query.limit,
      // In-flight parallel segments count too: the Scan request budget is a ceiling (decision 025).
      maxRequests: query.budget.scanRequests,
      signal,
    }),
  );
}

export type { BudgetStop };

/** A budgeted read of the catalog, shared by every consumer of one response. */
export interface CatalogRead {
  /** The Scan pages, ending early when a budget is reached. DynamoDB errors are thrown as the SDK throws them. */
  pages: AsyncGenerator<BikePage, void, undefined>;
  /** Which budget ended the pages early; undefined while reading, and when the table or `limit` ended them. */
  readonly stoppedBy: BudgetStop | undefined;
  /** Pages handed out so far: one Scan request each. */
  readonly pagesRead: number;
  readonly bikesRead: number;
  /**
   * Where to go on after the last page handed out (its LastEvaluatedKey; before any page, the
   * request's own cursor). Undefined at the end of the table and for a parallel scan, which has one
   * position per segment (docs/decisions/012-parallel-scan-restarts.md).
   */
  readonly resumeKey: Key | undefined;
  /** The consumer reports the bytes it sent for a page (estimated for HTML, counted for NDJSON). */
  sent(bytes: number): void;
  /** The consumer reports bytes it sent before any page (the HTML shell). */
  sentShell(bytes: number): void;
}

export interface ReadOptions {
  /** performance.now() when the request started: the time budget runs from there. */
  startedAt: number;
  /** The client left: the Scan request in flight is aborted and no other is sent. */
  signal?: AbortSignal;
}

/**
 * The catalog's Scan pages within the query's work budget: before each Scan request it asks
 * `budgetStop` (lib/work-budget.ts); when a budget is reached the pages end and `stoppedBy` says
 * which. A Scan request still in flight when the time budget runs out is aborted and the pages end
 * the same way.
 */
export function readCatalog(query: CatalogQuery, { startedAt, signal }: ReadOptions): CatalogRead {
  const { budget } = query;
  // AbortSignal.timeout takes whole milliseconds only.
  const timeout = AbortSignal.timeout(Math.max(0, Math.ceil(budget.ms - (performance.now() - startedAt))));
  const scan = bikePages(query, signal ? AbortSignal.any([signal, timeout]) : timeout);
  let stoppedBy: BudgetStop | undefined;
  let pagesRead = 0;
  let bikesRead = 0;
  let bytes = 0;
  let pageBytes = 0;
  let lastKey: Key | undefined = query.cursor;
  let tableEnded = false;

  const nextStop = () =>
    budgetStop(
      { scanRequests: pagesRead, bikes: bikesRead, bytes, pageBytes, elapsedMs: performance.now() - startedAt },
      budget,
      query.pageSize,
    );

  async function* pages(): AsyncGenerator<BikePage, void, undefined> {
    try {
      for (;;) {
        // A one-segment scan whose last page had no LastEvaluatedKey needs no further request.
        if (!tableEnded) {
          stoppedBy = nextStop();
          if (stoppedBy) return;
        }
        let next: IteratorResult<BikePage, void>;
        try {
          next = await scan.next();
        } catch (error) {
          if (timeout.aborted && !signal?.aborted) {
            stoppedBy = "time";
            return;
          }
          throw error;
        }
        if (next.done) return;
        const page = next.value;
        pagesRead++;
        bikesRead += page.items.length;
        lastKey = page.lastKey;
        tableEnded = query.segments === 1 && page.lastKey === undefined;
        yield page;
      }
    } finally {
      await scan.return(undefined);
    }
  }

  return {
    pages: pages(),
    get stoppedBy() {
      return stoppedBy;
    },
    get pagesRead() {
      return pagesRead;
    },
    get bikesRead() {
      return bikesRead;
    },
    get resumeKey() {
      return query.segments === 1 ? lastKey : undefined;
    },
    sent(count) {
      bytes += count;
      pageBytes += count;
    },
    sentShell(count) {
      bytes += count;
    },
  };
}

/**
 * The traditional way: every page within the budget awaited before anything is returned. `render`
 * turns a Scan page into what the response will hold and says how many bytes that adds, so a page
 * is rendered once for both. Throws DynamoDB's error; `read` says how far it got.
 */
export async function allPages<T>(
  read: CatalogRead,
  render: (bikes: CatalogItem[]) => { rendered: T; bytes: number },
): Promise<T[]> {
  const pages: T[] = [];
  for await (const page of read.pages) {
    const { rendered, bytes } = render(page.items);
    read.sent(bytes);
    pages.push(rendered);
  }
  return pages;
}

// DynamoDB rejects key values over 2048 bytes for a hash key; such an id cannot exist, so it is
// answered as missing without a request.
const MAX_HASH_KEY_BYTES = 2048;

/** One bike by id; memoised per request, so a page and its metadata share one GetItem. */
export const getBike = cache(async (id: string): Promise<CatalogItem | undefined> => {
  if (id.length === 0 || Buffer.byteLength(id) > MAX_HASH_KEY_BYTES) return undefined;
  const result = await documentClient().send(new GetCommand({ TableName: config().table, Key: { id } }));
  return result.Item === undefined ? undefined : checkedItem(result.Item);
});

/** Where a Scan page ended: the key to go on after. Components name it through this module only. */
export type CatalogKey = Key;

/** The URL-safe token for "go on after this key". */
export function cursorFor(key: CatalogKey): string {
  return encodeCursor(key);
}

/** Items per Scan request of an export: DynamoDB's 1 MB page limit holds ~2,500 bikes, and fewer, larger pages mean fewer round trips. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * Every bike, page by page, for an export. No work budget, no limit and no cursor: an export is
 * whole, bounded only by Lambda's 200 MB streamed response and the function timeout
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html). A page is
 * requested only when the consumer asks for it, so a slow reader slows the Scan.
 */
export function exportBikePages(signal?: AbortSignal): AsyncGenerator<BikePage, void, undefined> {
  return checkedPages(scanPages(documentClient(), { table: config().table, pageSize: EXPORT_PAGE_SIZE, signal }));
}
