import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type EmbeddedDynamoDB,
  type FaultProxy,
  type FaultRule,
  startEmbeddedDynamoDB,
  startFaultProxy,
} from "@firstbyte/dynamo-local";
import { createDocumentClient } from "../lib/dynamo";
import { countItems, ensureBikesTable, isTableEmpty, SeedError, seedBikes } from "./table";

let dynamodb: EmbeddedDynamoDB;
let client: DynamoDBDocumentClient;
const proxies: FaultProxy[] = [];

before(async () => {
  dynamodb = await startEmbeddedDynamoDB();
  client = createDocumentClient({ endpoint: dynamodb.endpoint, region: "us-east-1" });
});
after(async () => {
  client.destroy();
  for (const proxy of proxies) await proxy.close();
  await dynamodb.close();
});

/**
 * A client whose BatchWriteItem requests go through the fault proxy, which answers the rule's picks
 * with every item unprocessed, as DynamoDB does when a partition is throttled; the others reach the
 * engine. Returns the client and the proxy's BatchWriteItem counts.
 */
async function throughProxy(
  rule: Omit<FaultRule, "fault" | "operation">,
): Promise<{ client: DynamoDBDocumentClient; batches: () => Promise<{ received: number; faulted: number }> }> {
  const proxy = await startFaultProxy({ target: dynamodb.endpoint });
  proxies.push(proxy);
  await proxy.setFaults([{ operation: "BatchWriteItem", fault: { kind: "unprocessed" }, ...rule }]);
  return {
    client: createDocumentClient({ endpoint: proxy.endpoint, region: "us-east-1" }),
    batches: async () => (await proxy.state()).counts.BatchWriteItem ?? { received: 0, faulted: 0 },
  };
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
    // The first three BatchWriteItem requests (the first batch and two retries of it) come back
    // unprocessed; then DynamoDB takes them.
    const { client: throttled, batches } = await throughProxy({ times: 3 });
    await ensureBikesTable(throttled, "Throttled");
    const written = await seedBikes(throttled, "Throttled", { count: 100, concurrency: 1 });
    throttled.destroy();
    assert.equal(written, 100);
    assert.equal(await countItems(client, "Throttled"), 100);
    // 4 batches of 25, and one more request for each unprocessed answer.
    assert.deepEqual(await batches(), { received: 4 + 3, faulted: 3 });
  });

  it("gives up with counts when items stay unprocessed", async () => {
    const { client: stuck, batches } = await throughProxy({});
    await ensureBikesTable(stuck, "Stuck");
    await assert.rejects(seedBikes(stuck, "Stuck", { count: 25, maxRetries: 2 }), (error: unknown) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.unprocessed, 25);
      assert.equal(error.written, 0);
      assert.match(error.message, /run the seed again/);
      return true;
    });
    stuck.destroy();
    // The first request and its two retries.
    assert.deepEqual(await batches(), { received: 3, faulted: 3 });
    assert.equal(await countItems(client, "Stuck"), 0);
  });

  it("stops during a retry's backoff when the signal aborts", async () => {
    const { client: stuck, batches } = await throughProxy({});
    await ensureBikesTable(stuck, "Aborted");
    const controller = new AbortController();
    // The first batch comes back unprocessed; abort once its backoff has begun.
    const onProgress = () => setImmediate(() => controller.abort());
    const seeding = seedBikes(stuck, "Aborted", { count: 25, maxRetries: 8, onProgress, signal: controller.signal });
    await assert.rejects(seeding, { name: "AbortError" });
    assert.equal((await batches()).received, 1, "no retry after the abort");
    stuck.destroy();
  });
});
