// Creating and loading the Bikes table. Used by the start and seed scripts (not by the pages), so it
// is not server-only; it knows the table's shape, so it lives beside the catalog in lib/.
import { setTimeout } from "node:timers/promises";
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Bike } from "../lib/bike";
import { generateBikes } from "./bike-generator";

/** Creates the table (string hash key `id`, on-demand) unless it exists; waits until it is ACTIVE. */
export async function ensureBikesTable(client: DynamoDBDocumentClient, table: string): Promise<"created" | "existed"> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return "existed";
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
  return "created";
}

/** True when the table holds no item (a Scan of one item; DescribeTable's ItemCount lags on AWS and stays 0 on dynalite). */
export async function isTableEmpty(client: DynamoDBDocumentClient, table: string): Promise<boolean> {
  const page = await client.send(new ScanCommand({ TableName: table, Limit: 1, Select: "COUNT" }));
  return (page.Count ?? 0) === 0 && page.LastEvaluatedKey === undefined;
}

/** Counts every item with paged COUNT scans (1 MB a page, as DynamoDB reads them). */
export async function countItems(client: DynamoDBDocumentClient, table: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: "COUNT", ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export interface SeedOptions {
  count: number;
  /** First catalog index to write: bikes `start … start+count-1` of the deterministic catalog. */
  start?: number;
  seed?: number;
  /** BatchWriteItem requests in flight at once. */
  concurrency?: number;
  /** Retries of one batch's UnprocessedItems before giving up (with exponential backoff). */
  maxRetries?: number;
  onProgress?: (written: number, total: number) => void;
  /** Stops the seed, also during a retry's backoff; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

export class SeedError extends Error {
  override name = "SeedError";
  constructor(
    message: string,
    readonly written: number,
    readonly unprocessed: number,
  ) {
    super(message);
  }
}

// BatchWriteItem takes at most 25 put requests.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
const BATCH_SIZE = 25;

/**
 * Writes the bikes in 25-item batches, retrying UnprocessedItems (throttling returns them rather than
 * failing) with capped exponential backoff and jitter, so nothing the user asked to load is lost.
 * Resolves with the number of items written; throws SeedError with counts if retries run out.
 */
export async function seedBikes(client: DynamoDBDocumentClient, table: string, options: SeedOptions): Promise<number> {
  const { count, start = 0, seed = 1, concurrency = 4, maxRetries = 8, onProgress, signal } = options;
  const bikes = generateBikes(count, seed, start);
  let written = 0;

  const nextBatch = (): Bike[] => {
    const batch: Bike[] = [];
    while (batch.length < BATCH_SIZE) {
      const next = bikes.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };

  const writeBatch = async (batch: Bike[]): Promise<void> => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > maxRetries) {
        throw new SeedError(
          `${requests.length} items were still unprocessed after ${maxRetries} retries (${written} of ${count} written); run the seed again to finish`,
          written,
          requests.length,
        );
      }
      if (attempt > 0)
        await setTimeout(Math.min(100 * 2 ** attempt, 5000) * (0.5 + Math.random() / 2), undefined, { signal });
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }), {
        abortSignal: signal,
      });
      const unprocessed = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      written += requests.length - unprocessed.length;
      onProgress?.(written, count);
      requests = unprocessed;
    }
  };

  const worker = async (): Promise<void> => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      signal?.throwIfAborted();
      await writeBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return written;
}
