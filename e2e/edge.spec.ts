// The catalog at the edge (decision 027): through the local edge cache (nginx, harness/edge-cache.ts)
// as through CloudFront, a whole response is stored and served as a hit without the function reading
// DynamoDB again; a response that failed after its first byte is never stored, so the next reader
// gets the whole list; a new bike shows once the stored copy is past its lifetime; and a fresh query
// parameter (lib/edge-bypass.ts) always reaches the function.
// Every URL carries its own `key=` parameter, so no test meets what another stored.
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { NO_TABLE_WRITES } from "../harness/e2e-skips/skips";
import { bikeIdsOf, ndjsonLines } from "../harness/ndjson";
import { attributeOf, bikeRowIds } from "../harness/server-html";
import { readConfig } from "../lib/config";
import { createDocumentClient } from "../lib/dynamo";
import { bypassEdge } from "../lib/edge-bypass";
import { generateBike } from "../seed/bike-generator";
import { E2E_S_MAXAGE_S, E2E_STALE_WHILE_REVALIDATE_S } from "./edge-lifetimes";
import { expect, test } from "./fixtures";
import { readWhole as get, type WholeResponse as Received } from "./read-whole";

function edgeUrl(): string {
  const url = process.env.EDGE_URL ?? process.env.BASE_URL;
  if (!url) throw new Error("EDGE_URL is not set: global-setup.ts should have started a stack");
  return url.replace(/\/$/, "");
}

/** A query-string key no other request used, so each test starts with nothing stored for its URL. */
const unique = () => `key=${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const xCache = (response: Received) => String(response.headers["x-cache"] ?? "");

test("a whole page is stored: the second reader gets the same bytes as a hit, and DynamoDB is not read again", async ({
  faults,
}) => {
  const url = `${edgeUrl()}/bikes?limit=100&pageSize=50&${unique()}`;
  const first = await get(url);
  expect(first.status).toBe(200);
  expect(first.complete).toBe(true);
  expect(xCache(first)).toMatch(/^Miss/);
  expect(first.headers["cache-control"]).toMatch(/^public, max-age=0, s-maxage=\d+/);
  expect(bikeRowIds(first.body)).toHaveLength(100);
  const scansForFirst = (await faults.state()).counts.Scan?.received ?? 0;
  expect(scansForFirst).toBeGreaterThan(0);

  const second = await get(url);
  expect(xCache(second)).toMatch(/^Hit/);
  expect(second.complete).toBe(true);
  // The stored bytes, nonce and all (decision 027: a nonce lives as long as the stored page).
  expect(second.body).toBe(first.body);
  expect((await faults.state()).counts.Scan?.received ?? 0).toBe(scansForFirst);
});

for (const route of ["/bikes", "/api/bikes"] as const) {
  test(`${route}: a DynamoDB failure mid-stream shows its error, ends abnormally, and is not stored; the next reader gets the whole list`, async ({
    faults,
  }) => {
    const url = `${edgeUrl()}${route}?limit=200&pageSize=50&${unique()}`;
    await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
    const failed = await get(url);
    expect(failed.status).toBe(200);
    // Everything written reached the reader, the error included; only the clean end is missing.
    expect(failed.complete).toBe(false);
    if (route === "/bikes") {
      expect(bikeRowIds(failed.body)).toHaveLength(50);
      expect(attributeOf(failed.body, "catalog-error", "data-error-code")).toBe("dynamodb_unavailable");
    } else {
      const lines = ndjsonLines<{ error?: string; items?: { id: string }[] }>(failed.body);
      expect(bikeIdsOf(lines)).toHaveLength(50);
      expect(lines.at(-1)?.error).toBe("dynamodb_unavailable");
    }

    await faults.clearFaults();
    const next = await get(url);
    expect(xCache(next), "the failed response must not have been stored").toMatch(/^Miss/);
    expect(next.complete).toBe(true);
    const ids =
      route === "/bikes" ? bikeRowIds(next.body) : bikeIdsOf(ndjsonLines<{ items?: { id: string }[] }>(next.body));
    expect(ids).toHaveLength(200);
    expect(next.body).not.toContain("dynamodb_unavailable");
    // And this whole one is what the edge keeps.
    expect(xCache(await get(url))).toMatch(/^Hit/);
  });
}

test("a bike added to the table shows through the edge once the stored copy is past its lifetime", async ({
  faults: _faults,
}) => {
  const endpoint = process.env.E2E_DYNAMODB_ENDPOINT;
  test.skip(!endpoint, NO_TABLE_WRITES);
  const client = createDocumentClient({ ...readConfig(), endpoint });
  const table = readConfig().table;
  // An index far past the seeded ones: its id is in no seeded catalog.
  const bike = generateBike(9_999_999);
  const url = `${edgeUrl()}/api/bikes?pageSize=1000&${unique()}`;
  const idsAt = async () => bikeIdsOf(ndjsonLines<{ items?: { id: string }[] }>((await get(url)).body));
  try {
    expect(await idsAt()).not.toContain(bike.id);
    await client.send(new PutCommand({ TableName: table, Item: bike }));
    // Stored a moment ago: the edge still answers with the list it has.
    const stored = await get(url);
    expect(xCache(stored)).toMatch(/^Hit/);
    expect(bikeIdsOf(ndjsonLines<{ items?: { id: string }[] }>(stored.body))).not.toContain(bike.id);
    // Within s-maxage + stale-while-revalidate every reader sees it (a margin for the refresh itself).
    const windowMs = (E2E_S_MAXAGE_S + E2E_STALE_WHILE_REVALIDATE_S) * 1000;
    await expect.poll(idsAt, { timeout: windowMs + 10_000, intervals: [500] }).toContain(bike.id);
  } finally {
    await client.send(new DeleteCommand({ TableName: table, Key: { id: bike.id } }));
    client.destroy();
  }
});

test("a fresh query parameter (lib/edge-bypass.ts) always reaches the function", async ({ faults }) => {
  const url = `${edgeUrl()}/bikes?limit=20&pageSize=20&${unique()}`;
  for (let request = 0; request < 2; request++) {
    const before = (await faults.state()).counts.Scan?.received ?? 0;
    const response = await get(bypassEdge(url));
    expect(xCache(response)).toMatch(/^Miss/);
    expect(bikeRowIds(response.body)).toHaveLength(20);
    expect((await faults.state()).counts.Scan?.received ?? 0).toBeGreaterThan(before);
  }
});

test("errors keep their own short lifetimes: a 400 is never stored", async () => {
  const url = `${edgeUrl()}/api/bikes?pageSize=0&${unique()}`;
  for (let request = 0; request < 2; request++) {
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(xCache(response)).toMatch(/^Miss/);
  }
});
