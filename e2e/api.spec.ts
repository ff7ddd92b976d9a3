import { ndjsonLines } from "../harness/ndjson";
import { EXPECTED_BIKES, expect, test } from "./fixtures";

interface PageLine {
  page: number;
  segment: number;
  count: number;
  items: Array<{ id: string }>;
  cursor?: string;
}

function parseLines(text: string): PageLine[] {
  expect(text.endsWith("\n")).toBe(true);
  return ndjsonLines<PageLine>(text);
}

test.describe("/api/bikes", () => {
  test("streams one NDJSON line per Scan page, every bike once", async ({ request }) => {
    const pageSize = 150;
    const response = await request.get(`/api/bikes?pageSize=${pageSize}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/x-ndjson");
    const lines = parseLines(await response.text());
    expect(lines.map((line) => line.page)).toEqual(lines.map((_, index) => index));
    // Every page but the last is full (DynamoDB fills a page to Limit unless it reaches 1 MB, far
    // above 150 bikes); the last may be short or, when the table divides evenly, empty.
    for (const line of lines.slice(0, -1)) expect(line.count).toBe(pageSize);
    expect(lines.length).toBeGreaterThanOrEqual(Math.ceil(EXPECTED_BIKES / pageSize));
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(EXPECTED_BIKES / pageSize) + 1);
    for (const line of lines) expect(line.items).toHaveLength(line.count);
    const ids = lines.flatMap((line) => line.items.map((item) => item.id));
    expect(ids).toHaveLength(EXPECTED_BIKES);
    expect(new Set(ids).size).toBe(EXPECTED_BIKES);
    expect(lines.at(-1)?.cursor).toBeUndefined();
  });

  test("a parallel scan covers every bike exactly once, segment by segment", async ({ request }) => {
    const lines = parseLines(await (await request.get("/api/bikes?segments=4&pageSize=200")).text());
    expect(new Set(lines.map((line) => line.segment))).toEqual(new Set([0, 1, 2, 3]));
    const ids = lines.flatMap((line) => line.items.map((item) => item.id));
    expect(ids).toHaveLength(EXPECTED_BIKES);
    expect(new Set(ids).size).toBe(EXPECTED_BIKES);
  });

  test("mode=buffered answers one JSON array of the same bikes", async ({ request }) => {
    const response = await request.get("/api/bikes?mode=buffered");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    const bikes = (await response.json()) as Array<{ id: string; brand: string; price: number }>;
    expect(bikes).toHaveLength(EXPECTED_BIKES);
    expect(new Set(bikes.map((bike) => bike.id)).size).toBe(EXPECTED_BIKES);
    expect(typeof bikes[0]?.brand).toBe("string");
    expect(typeof bikes[0]?.price).toBe("number");
  });

  test("limit and cursor page through the table without overlap", async ({ request }) => {
    const first = parseLines(await (await request.get("/api/bikes?limit=30&pageSize=25")).text());
    expect(first.map((line) => line.count)).toEqual([25, 5]);
    const cursor = first.at(-1)?.cursor;
    expect(cursor).toBeTruthy();
    const second = parseLines(await (await request.get(`/api/bikes?limit=30&pageSize=25&cursor=${cursor}`)).text());
    const seen = new Set(first.flatMap((line) => line.items.map((item) => item.id)));
    const next = second.flatMap((line) => line.items.map((item) => item.id));
    expect(next).toHaveLength(30);
    expect(next.filter((id) => seen.has(id))).toEqual([]);
  });

  for (const [query, param] of [
    ["pageSize=0", "pageSize"],
    ["segments=99", "segments"],
    ["limit=1.5", "limit"],
    ["cursor=eyJub3QiOiJhIGtleSJ9", "cursor"], // base64url of {"not":"a key"}
    ["mode=fast", "mode"],
  ] as const) {
    test(`?${query} is a JSON 400 naming ${param}`, async ({ request }) => {
      const response = await request.get(`/api/bikes?${query}`);
      expect(response.status()).toBe(400);
      const body = (await response.json()) as { error: string; errors: Array<{ param: string; message: string }> };
      expect(body.error).toBe("bad_request");
      expect(body.errors.map((error) => error.param)).toContain(param);
    });
  }
});

// The Lambda bundle is built with OpenNext's incremental and tag caches disabled (open-next.config.ts),
// so no route may rely on ISR: asked twice, nothing is answered from Next's cache (x-nextjs-cache
// HIT or STALE). What a CDN may keep is the app's own shared-cache policy (lib/edge-cache.ts,
// decision 027) on the catalog, never Next's ISR header, and nothing on other pages.
test.describe("no route depends on ISR", () => {
  test("every route is rendered on each request and never revalidated in the background", async ({ request }) => {
    const first = (await (await request.get("/api/bikes?limit=1")).text()).split("\n")[0] ?? "";
    const id = (JSON.parse(first) as PageLine).items[0]?.id;
    expect(id).toBeTruthy();
    for (const path of ["/", "/bikes?limit=5", "/bikes/buffered?limit=5", `/bikes/${id}`, "/api/bikes?limit=5"]) {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const response = await request.get(path);
        expect(response.status(), path).toBe(200);
        expect(response.headers()["x-nextjs-cache"] ?? "MISS", `${path}, request ${attempt}`).toBe("MISS");
        const cacheControl = response.headers()["cache-control"] ?? "";
        if (path === "/") expect(cacheControl, path).not.toMatch(/public|s-maxage|stale-while-revalidate/);
        else expect(cacheControl, path).toMatch(/^public, max-age=0, s-maxage=\d+/);
      }
    }
  });
});
