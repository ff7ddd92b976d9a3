// Every response stops at its work budget and says where to go on. The budgets are lowered per
// request (never raised), so this runs unchanged against a deployed stage.
import { readNdjsonStep } from "../bench/budget-chain";
import { ndjsonLines } from "../harness/ndjson";
import { attributeOf, bikeRowIds, linkOf } from "../harness/server-html";
import { EXPECTED_BIKES, expect, targetUrl, test } from "./fixtures";

test('/bikes stops at its Scan request budget; following "Next bikes →" reads every bike exactly once', async ({
  request,
}) => {
  let url: string | undefined = `${targetUrl()}/bikes?pageSize=100&budgetScans=3`;
  const seen: string[] = [];
  let responses = 0;
  while (url) {
    const html = await (await request.get(url)).text();
    const ids = bikeRowIds(html);
    responses++;
    url = linkOf(html, "catalog-next", url);
    if (url) {
      expect(ids).toHaveLength(300);
      expect(attributeOf(html, "catalog-summary", "data-stopped-by")).toBe("scanRequests");
    } else {
      expect(attributeOf(html, "catalog-summary", "data-complete")).toBe("true");
    }
    seen.push(...ids);
  }
  expect(seen).toHaveLength(EXPECTED_BIKES);
  expect(new Set(seen).size).toBe(EXPECTED_BIKES);
  expect(responses).toBe(Math.ceil(EXPECTED_BIKES / 300));
});

test("/bikes stops under its byte budget; following its next links reads every bike exactly once", async ({
  request,
}) => {
  const budget = 200_000;
  let url: string | undefined = `${targetUrl()}/bikes?pageSize=100&budgetBytes=${budget}`;
  const seen: string[] = [];
  let stoppedByBytes = 0;
  for (let round = 0; url && round < EXPECTED_BIKES / 100; round++) {
    const body = await (await request.get(url)).body();
    expect(body.byteLength, url).toBeLessThan(budget);
    const html = body.toString("utf8");
    const ids = bikeRowIds(html);
    expect(ids.length, `${url}: rows before the budget stopped it`).toBeGreaterThan(0);
    seen.push(...ids);
    const next = linkOf(html, "catalog-next", url);
    if (next) {
      expect(attributeOf(html, "catalog-summary", "data-stopped-by")).toBe("bytes");
      stoppedByBytes++;
    } else {
      expect(attributeOf(html, "catalog-summary", "data-complete")).toBe("true");
    }
    url = next;
  }
  expect(url, "the chain ended").toBeUndefined();
  expect(stoppedByBytes, "the budget stopped at least one response").toBeGreaterThan(0);
  // No gap and no overlap over the whole chain: the union is the table, each bike once.
  expect(seen).toHaveLength(EXPECTED_BIKES);
  expect(new Set(seen).size).toBe(EXPECTED_BIKES);
});

test("/api/bikes ends at its budget with a final line carrying the cursor; following it reads every bike once", async ({
  request,
}) => {
  // readNdjsonStep (perf:budget's reader) fails on an error line or a stop with no cursor.
  let url: string | undefined = `${targetUrl()}/api/bikes?pageSize=100&budgetScans=4`;
  const seen: string[] = [];
  for (let round = 0; url && round < 20; round++) {
    const step = readNdjsonStep(await (await request.get(url)).text(), url);
    seen.push(...step.ids);
    if (step.next) {
      expect(step.stoppedBy).toBe("scanRequests");
      expect(step.count).toBe(400);
    }
    url = step.next;
  }
  expect(url).toBeUndefined();
  expect(seen).toHaveLength(EXPECTED_BIKES);
  expect(new Set(seen).size).toBe(EXPECTED_BIKES);
});

test("a budget parameter over the configured ceiling is a 400 naming it", async ({ request }) => {
  const response = await request.get("/api/bikes?budgetScans=100000000");
  expect(response.status()).toBe(400);
  const body = (await response.json()) as { errors: Array<{ param: string }> };
  expect(body.errors.map((error) => error.param)).toContain("budgetScans");
});

test("a parallel scan that meets its budget says it cannot go on, and links to one segment (decision 012)", async ({
  request,
}) => {
  const html = await (await request.get("/bikes?segments=4&pageSize=50&budgetScans=2")).text();
  expect(attributeOf(html, "catalog-summary", "data-stopped-by")).toBe("scanRequests");
  expect(html).not.toContain('id="catalog-next"');
  expect(html).toMatch(/<a href="\/bikes\?pageSize=50&amp;budgetScans=2" id="catalog-one-segment">/);
  const lines = ndjsonLines<{ stopped?: string; restart?: boolean; cursor?: string }>(
    await (await request.get("/api/bikes?segments=4&pageSize=50&budgetScans=2")).text(),
  );
  expect(lines.at(-1)).toMatchObject({ stopped: "budget", restart: true });
  expect(lines.at(-1)?.cursor).toBeUndefined();
});
