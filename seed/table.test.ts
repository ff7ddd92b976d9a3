import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";
import { createDocumentClient } from "../lib/dynamo";
import { countItems, ensureBikesTable, isTableEmpty, SeedError, seedBikes } from "./table";

let dynamodb: EmbeddedDynamoDB;
let client: DynamoDBDocumentClient;

before(async () => {
  dynamodb = await startEmbeddedDynamoDB();
  client = createDocumentClient({ endpoint: dynamodb.endpoint, region: "us-east-1" });
});
after(async () => {
  client.destroy();
  await dynamodb.close();
});

/**
 * Throttling on a real engine: before each BatchWriteItem leaves, hold back some of its put requests
 * and hand them back as UnprocessedItems, exactly as DynamoDB does when a partition is throttled.
 */
function throttle(
  target: DynamoDBDocumentClient,
  table: string,
  holdBack: (attempt: number) => number,
): { batches: number } {
  const seen = { batches: 0 };
  target.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "BatchWriteItemCommand") return next(args);
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const requests = input.RequestItems[table] ?? [];
      const held = requests.slice(requests.length - Math.min(holdBack(seen.batches++), requests.length));
      input.RequestItems[table] = requests.slice(0, requests.length - held.length);
      if (input.RequestItems[table]!.length === 0)
        return { output: { UnprocessedItems: { [table]: held }, $metadata: {} } } as never;
      const result = await next(args);
      const output = result.output as { UnprocessedItems?: Record<string, unknown[]> };
      if (held.length > 0)
        output.UnprocessedItems = { [table]: [...(output.UnprocessedItems?.[table] ?? []), ...held] };
      return result;
    },
    { step: "initialize", name: "throttleForTest" },
  );
  return seen;
}

describe("seeding", () => {
  it("creates the table once and loads every bike", async () => {
    assert.equal(await ensureBikesTable(client, "Plain"), "created");
    assert.equal(await ensureBikesTable(client, "Plain"), "existed");
    assert.equal(await isTableEmpty(client, "Plain"), true);
    const progress: number[] = [];
    const written = await seedBikes(client, "Plain", { count: 260, onProgress: (done) => progress.push(done) });
    assert.equal(written, 260);
    assert.equal(await countItems(client, "Plain"), 260);
    assert.equal(await isTableEmpty(client, "Plain"), false);
    assert.equal(progress.at(-1), 260);
    assert.ok(progress.length >= 11, "a progress report per batch");
  });

  it("retries unprocessed items until every bike is in", async () => {
    const throttled = createDocumentClient({ endpoint: dynamodb.endpoint, region: "us-east-1" });
    await ensureBikesTable(throttled, "Throttled");
    // Every batch first loses 10 of its 25 requests, then 3 on the retry, then none.
    const seen = throttle(throttled, "Throttled", (attempt) => [10, 3][attempt % 3] ?? 0);
    const written = await seedBikes(throttled, "Throttled", { count: 100, concurrency: 1 });
    throttled.destroy();
    assert.equal(written, 100);
    assert.equal(await countItems(client, "Throttled"), 100);
    assert.ok(seen.batches > 4, `retried batches (${seen.batches} requests for 4 batches)`);
  });

  it("gives up with counts when items stay unprocessed", async () => {
    const stuck = createDocumentClient({ endpoint: dynamodb.endpoint, region: "us-east-1" });
    await ensureBikesTable(stuck, "Stuck");
    throttle(stuck, "Stuck", () => 25);
    await assert.rejects(seedBikes(stuck, "Stuck", { count: 25, maxRetries: 2 }), (error: unknown) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.unprocessed, 25);
      assert.equal(error.written, 0);
      assert.match(error.message, /run the seed again/);
      return true;
    });
    stuck.destroy();
  });

  it("stops during a retry's backoff when the signal aborts", async () => {
    const stuck = createDocumentClient({ endpoint: dynamodb.endpoint, region: "us-east-1" });
    await ensureBikesTable(stuck, "Aborted");
    const seen = throttle(stuck, "Aborted", () => 25);
    const controller = new AbortController();
    // The first batch comes back unprocessed; abort once its backoff has begun.
    const onProgress = () => setImmediate(() => controller.abort());
    const seeding = seedBikes(stuck, "Aborted", { count: 25, maxRetries: 8, onProgress, signal: controller.signal });
    await assert.rejects(seeding, { name: "AbortError" });
    assert.equal(seen.batches, 1, "no retry after the abort");
    stuck.destroy();
  });
});
