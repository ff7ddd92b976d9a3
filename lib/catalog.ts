// The catalog's data access for pages and route handlers: the only module that reads bikes.
// Server-only, so a client component that imports it fails the build instead of leaking the client.
import "server-only";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { encodeCursor, type Key, type ScanPage, scanPages } from "@firstbyte/dynamo-pages";
import { cache } from "react";
import type { Bike } from "./bike";
import { config } from "./config";
import { documentClient } from "./dynamo";
import type { CatalogQuery } from "./params";

export type BikePage = ScanPage<Bike>;

/** The catalog's Scan pages, each yielded the moment DynamoDB returns it. */
export function bikePages(query: CatalogQuery, signal?: AbortSignal): AsyncGenerator<BikePage, void, undefined> {
  return scanPages<Bike>(documentClient(), {
    table: config().table,
    pageSize: query.pageSize,
    firstPageSize: query.firstPageSize,
    segments: query.segments,
    startKey: query.cursor,
    maxItems: query.limit,
    signal,
  });
}

/** The traditional way: every page awaited before anything is returned. */
export async function allBikes(
  query: CatalogQuery,
  signal?: AbortSignal,
): Promise<{ bikes: Bike[]; lastKey: Key | undefined }> {
  const bikes: Bike[] = [];
  let lastKey: Key | undefined;
  for await (const page of bikePages(query, signal)) {
    bikes.push(...page.items);
    lastKey = page.lastKey;
  }
  return { bikes, lastKey };
}

// DynamoDB rejects key values over 2048 bytes for a hash key; such an id cannot exist, so it is
// answered as missing without a request.
const MAX_HASH_KEY_BYTES = 2048;

/** One bike by id; memoised per request, so a page and its metadata share one GetItem. */
export const getBike = cache(async (id: string): Promise<Bike | undefined> => {
  if (id.length === 0 || Buffer.byteLength(id) > MAX_HASH_KEY_BYTES) return undefined;
  const result = await documentClient().send(new GetCommand({ TableName: config().table, Key: { id } }));
  return result.Item as Bike | undefined;
});

/** Where a Scan page ended: the key to go on after. Components name it through this module only. */
export type CatalogKey = Key;

/** The URL-safe token for "go on after this key". */
export function cursorFor(key: CatalogKey): string {
  return encodeCursor(key);
}
