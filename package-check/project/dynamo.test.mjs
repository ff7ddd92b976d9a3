// dynamo-pages reading from dynamo-local with the real AWS SDK, from their tarballs: an item budget
// stops a scan, its cursor continues it, parallel segments read everything once, and an abort
// stops a scan whose next page the fault proxy holds back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startEmbeddedDynamoDB, startFaultProxy } from "@firstbyte/dynamo-local";
import { decodeCursor, encodeCursor, scanPages } from "@firstbyte/dynamo-pages";
import { decodeCursor as decodeCursorOnly, InvalidCursorError } from "@firstbyte/dynamo-pages/cursor";

const TABLE = "Items";
const ITEMS = 25;
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let dynamodb;
let proxy;
const clients = [];

function documentClient(endpoint) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: "us-east-1", credentials }));
  clients.push(client);
  return client;
}

async function collect(pages) {
  const seen = [];
  for await (const page of pages) seen.push(page);
  return seen;
}

const ids = (pages) => pages.flatMap((page) => page.items.map((item) => item.id));

before(async () => {
  dynamodb = await startEmbeddedDynamoDB();
  proxy = await startFaultProxy({ target: dynamodb.endpoint });
  const client = documentClient(dynamodb.endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const all = Array.from({ length: ITEMS }, (_, i) => ({ id: `item-${String(i).padStart(2, "0")}`, n: i }));
  for (let i = 0; i < all.length; i += 25) {
    const batch = all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: batch } }));
  }
});

after(async () => {
  for (const client of clients) client.destroy();
  await proxy?.close();
  await dynamodb?.close();
});

test("an item budget stops the scan and its cursor continues it", async () => {
  const client = documentClient(dynamodb.endpoint);
  const first = await collect(scanPages(client, { table: TABLE, pageSize: 4, maxItems: 10 }));
  assert.equal(ids(first).length, 10);
  const lastKey = first.at(-1).lastKey;
  assert.ok(lastKey, "a scan stopped by its budget ends with a key to resume from");

  const cursor = encodeCursor(lastKey);
  assert.match(cursor, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursorOnly(cursor, { id: "S" }), lastKey);
  const rest = await collect(
    scanPages(client, { table: TABLE, pageSize: 4, startKey: decodeCursor(cursor, { id: "S" }) }),
  );
  assert.equal(rest.at(-1).lastKey, undefined);
  const everything = [...ids(first), ...ids(rest)];
  assert.equal(new Set(everything).size, ITEMS, "the two scans together read every item once");
  assert.equal(everything.length, ITEMS);
});

test("parallel segments read every item once", async () => {
  const pages = await collect(scanPages(documentClient(dynamodb.endpoint), { table: TABLE, segments: 3, pageSize: 5 }));
  assert.deepEqual(new Set(pages.map((page) => page.segment)), new Set([0, 1, 2]));
  assert.equal(new Set(ids(pages)).size, ITEMS);
  assert.equal(ids(pages).length, ITEMS);
});

test("an abort stops a scan whose next page is held back by the fault proxy", async () => {
  // The second Scan request is answered only after a minute; the abort comes while it is held.
  await proxy.setFaults([{ operation: "Scan", after: 1, fault: { kind: "latency", ms: 60_000 } }]);
  const controller = new AbortController();
  const pages = scanPages(documentClient(proxy.endpoint), { table: TABLE, pageSize: 4, signal: controller.signal });
  const first = await pages.next();
  assert.equal(first.value.items.length, 4);
  const second = pages.next();
  while ((await proxy.state()).counts.Scan?.received !== 2) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await assert.rejects(second, { name: "AbortError" });
  assert.equal((await proxy.state()).counts.Scan.faulted, 1);
  await proxy.clearFaults();
});

test("a cursor a client made up is refused before it reaches DynamoDB", () => {
  assert.throws(() => decodeCursorOnly("not a cursor", { id: "S" }), InvalidCursorError);
  assert.throws(() => decodeCursor(encodeCursor({ other: "x" }), { id: "S" }), { reason: "missing-attribute" });
});
