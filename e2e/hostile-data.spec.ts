// Bad data in the table costs at most its own row, and nothing from an item reaches a reader as
// markup or formula: the hostile items of hostile-bikes.ts are written into the local table, every
// rendering path is read raw and in Chromium, and the items are removed again (decision 024).
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { NO_TABLE_WRITES } from "../harness/e2e-skips/skips";
import { bikeRowIds } from "../harness/server-html";
import { readConfig } from "../lib/config";
import { createDocumentClient } from "../lib/dynamo";
import { EXPECTED_BIKES, expect, test } from "./fixtures";
import { FORMULAS, HOSTILE_ITEMS, MALFORMED, MARKUP, STOCK_MARKUP } from "./hostile-bikes";

const endpoint = process.env.E2E_DYNAMODB_ENDPOINT;
const TOTAL = EXPECTED_BIKES + HOSTILE_ITEMS.length;
const idOf = (item: Record<string, unknown>) => String(item.id);

test.describe.configure({ mode: "serial" });
test.skip(!endpoint, NO_TABLE_WRITES);

async function writeItems(kind: "PutRequest" | "DeleteRequest"): Promise<void> {
  const client = createDocumentClient({ endpoint, region: readConfig().region });
  const requests = HOSTILE_ITEMS.map((item) =>
    kind === "PutRequest" ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: { id: item.id } } },
  );
  const result = await client.send(new BatchWriteCommand({ RequestItems: { [readConfig().table]: requests } }));
  expect(Object.keys(result.UnprocessedItems ?? {})).toEqual([]);
  client.destroy();
}

test.beforeAll(() => writeItems("PutRequest"));
test.afterAll(() => writeItems("DeleteRequest"));

/** Nothing an item held became an element or ran, and the page's text shows it as text. */
async function expectNothingInjected(page: Page): Promise<void> {
  await expect(page.locator("#pwn")).toHaveCount(0);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await expect(page.locator("img[onerror]")).toHaveCount(0);
  await expect(page.locator("[data-bike-id] i, h1 i")).toHaveCount(0);
  expect(await page.title()).not.toBe("pwned");
  const styles = await page.locator("style").evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));
  expect(styles.filter((css) => css.includes("display:none}"))).toEqual([]);
}

/** The rows of the catalog page in the browser: every item, the malformed one marked, the markup as text. */
async function expectCatalogRows(page: Page): Promise<void> {
  await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", String(TOTAL));
  await expect(page.locator("tr[data-bike-id]")).toHaveCount(TOTAL);
  const malformed = page.locator(`tr[data-bike-id="${idOf(MALFORMED)}"]`);
  await malformed.scrollIntoViewIfNeeded();
  await expect(malformed).toBeVisible();
  await expect(malformed).toHaveAttribute("data-incomplete", "");
  await expect(malformed).toContainText(`This bike's record (${idOf(MALFORMED)}) is incomplete.`);
  await expect(malformed.locator("td.num").first()).toHaveText("—");
  const stock = page.locator(`tr[data-bike-id="${idOf(STOCK_MARKUP)}"]`);
  await expect(stock).toHaveAttribute("data-incomplete", "");
  await expect(stock.locator("td.num").last()).toHaveText("—");
  const markup = page.locator("tr[data-bike-id]").filter({ hasText: MARKUP.brand });
  await expect(markup).toHaveCount(1);
  expect(await markup.getAttribute("data-bike-id")).toBe(MARKUP.id);
  await expect(markup.locator("th a")).toHaveText(`${MARKUP.brand} ${MARKUP.model}`);
  await expect(markup.locator("td").first()).toHaveText(MARKUP.type);
  await expect(markup.locator("td").nth(1)).toHaveText(MARKUP.frameSize);
  await expect(markup.locator("td").nth(2)).toHaveText(MARKUP.wheelSize);
  await expect(markup.locator("td").nth(3)).toHaveText(MARKUP.colour);
}

for (const path of ["/bikes", "/bikes/buffered"]) {
  test(`${path}: every bike in the raw HTML, the malformed one marked, nothing injected`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(bikeRowIds(html)).toHaveLength(TOTAL);
    expect(html).toContain(`<tr data-bike-id="${idOf(MALFORMED)}" data-incomplete>`);
    expect(html).not.toContain('<b id="pwn">');
    expect(html).not.toContain("<script>document.title");
    expect(html).not.toContain('<meta http-equiv="refresh"');
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<style>body{display:none}");
    expect(html).not.toMatch(/Something went wrong/);
  });

  test(`${path}: in Chromium, every row shows, the markup is text, no error`, async ({ page, consoleErrors }) => {
    await page.goto(path);
    await expectCatalogRows(page);
    await expectNothingInjected(page);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    expect(consoleErrors).toEqual([]);
  });
}

test("/bikes/client (NDJSON rendered in the browser): every row, the malformed one marked, nothing injected", async ({
  page,
  consoleErrors,
}) => {
  await page.goto("/bikes/client");
  await expectCatalogRows(page);
  await expectNothingInjected(page);
  expect(consoleErrors).toEqual([]);
});

test("each hostile bike's own page answers 200 and shows what is valid, as text", async ({ page, consoleErrors }) => {
  const malformed = await page.goto(`/bikes/${encodeURIComponent(idOf(MALFORMED))}`);
  expect(malformed?.status()).toBe(200);
  await expect(page.locator("#record-incomplete")).toBeVisible();
  await expect(page.locator("h1")).toHaveText(`${String(MALFORMED.brand)} ${String(MALFORMED.model)}`);
  await expect(page.locator("dl.bike")).toContainText(String(MALFORMED.colour));
  const weight = page.locator("dl.bike dt", { hasText: "Weight" }).locator("+ dd");
  await expect(weight).toHaveText("—");

  const markup = await page.goto(`/bikes/${encodeURIComponent(MARKUP.id)}`);
  expect(markup?.status()).toBe(200);
  await expect(page.locator("h1")).toHaveText(`${MARKUP.brand} ${MARKUP.model}`);
  await expect(page.locator("h1")).toHaveAttribute("data-bike-id", MARKUP.id);
  await expect(page.locator("p.lede")).toHaveText(MARKUP.description);
  await expect(page.locator("#record-incomplete")).toHaveCount(0);
  await expectNothingInjected(page);

  const stock = await page.goto(`/bikes/${encodeURIComponent(idOf(STOCK_MARKUP))}`);
  expect(stock?.status()).toBe(200);
  await expectNothingInjected(page);
  expect(consoleErrors).toEqual([]);
});

test("/api/bikes sends the malformed items with their valid fields and what they lack", async ({ request }) => {
  const response = await request.get("/api/bikes?mode=buffered");
  expect(response.status()).toBe(200);
  const items = (await response.json()) as Record<string, unknown>[];
  expect(items).toHaveLength(TOTAL);
  const malformed = items.find((item) => item.id === idOf(MALFORMED));
  expect(malformed?.incomplete).toEqual(["price", "weightKg"]);
  expect(malformed).not.toHaveProperty("price");
  expect(malformed?.brand).toBe(MALFORMED.brand);
  expect(items.find((item) => item.id === idOf(STOCK_MARKUP))?.incomplete).toEqual(["stock"]);
  expect(items.find((item) => item.id === MARKUP.id)).not.toHaveProperty("incomplete");
});

test("the export has every item and no cell a spreadsheet would run", async ({ request }) => {
  const response = await request.get("/api/bikes/export.csv");
  expect(response.status()).toBe(200);
  const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(TOTAL);
  // A cell that starts with = + - @, tab or CR and is not a number is a formula to a spreadsheet.
  const formulas = rows.flatMap((row) =>
    Object.values(row).filter((cell) => /^[=+\-@\t\r]/.test(cell) && Number.isNaN(Number(cell))),
  );
  expect(formulas).toEqual([]);
  const formulaRow = rows.find((row) => row.id === FORMULAS.id);
  expect(formulaRow).toMatchObject({
    brand: `'${FORMULAS.brand}`,
    model: `'${FORMULAS.model}`,
    colour: `'${FORMULAS.colour}`,
    description: `'${FORMULAS.description}`,
    incomplete: "",
  });
  expect(rows.find((row) => row.id === idOf(MALFORMED))).toMatchObject({
    price: "",
    weightKg: "",
    incomplete: "price weightKg",
  });
});

test("the reference on an error page is the invocation's id, never a client's header", async ({ faults }) => {
  const words = "client-words-on-the-page";
  await faults.setFaults([{ operation: "GetItem", fault: { kind: "http500" } }]);
  const response = await fetch(`${new URL("/bikes/any-bike", process.env.BASE_URL)}`, {
    headers: { "x-request-id": `<b>${words}</b>`, "x-amzn-trace-id": `Root=${words}` },
  });
  expect(response.status).toBe(503);
  const html = await response.text();
  expect(html).not.toContain(words);
  // The local stack is the Lambda path: the id is Lambda's request id, which the response carries too.
  const lambdaRequestId = response.headers.get("x-amzn-requestid");
  expect(lambdaRequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(html).toContain(`Reference <!-- -->${lambdaRequestId}`);
});

test("budgetScans is a ceiling on the Scan requests that reach DynamoDB, parallel segments included", async ({
  faults,
  request,
}) => {
  for (const [query, ceiling] of [
    ["segments=16&pageSize=1000&budgetScans=1", 1],
    ["segments=16&pageSize=1", 100],
  ] as const) {
    await faults.resetCounts();
    const response = await request.get(`/api/bikes?${query}`);
    expect(response.status()).toBe(200);
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ stopped: "budget", budget: "scanRequests" });
    expect(lines.filter((line) => "items" in line)).toHaveLength(ceiling);
    // The response has ended, so every request its scan sent has been received.
    expect((await faults.state()).counts.Scan?.received, query).toBe(ceiling);
  }
});
