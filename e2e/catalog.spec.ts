import { staticScriptSrc } from "../harness/server-html";
import { EXPECTED_BIKES, expect, test } from "./fixtures";

test.describe("streamed catalog in the browser", () => {
  test("every bike becomes visible and the page hydrates with no console errors", async ({ page, consoleErrors }) => {
    await page.goto("/bikes");
    await expect(page.locator("#catalog thead")).toBeVisible();
    await expect(page.locator("#catalog-summary")).toBeVisible();
    await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", String(EXPECTED_BIKES));
    await expect(page.locator("[data-bike-id]")).toHaveCount(EXPECTED_BIKES);
    // The last row is on screen, not only in the DOM (React reveals boundaries after inserting them).
    await page.locator("[data-bike-id]").last().scrollIntoViewIfNeeded();
    await expect(page.locator("[data-bike-id]").last()).toBeVisible();
    await expect(page.locator("tbody.skeleton")).toHaveCount(0);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    const ids = await page
      .locator("[data-bike-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-bike-id")));
    expect(new Set(ids).size).toBe(EXPECTED_BIKES);
    expect(consoleErrors).toEqual([]);
  });

  test("the buffered page shows the same bikes", async ({ page, consoleErrors }) => {
    await page.goto("/bikes/buffered");
    await expect(page.locator("[data-bike-id]")).toHaveCount(EXPECTED_BIKES);
    await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", String(EXPECTED_BIKES));
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    expect(consoleErrors).toEqual([]);
  });

  test("limit stops early with a next link that goes on without overlap", async ({ page, consoleErrors }) => {
    await page.goto("/bikes?limit=50&pageSize=20");
    await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", "50");
    const first = await page
      .locator("[data-bike-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-bike-id")));
    expect(first).toHaveLength(50);
    await expect(page.locator("tbody[data-scan-page]")).toHaveCount(3); // 20 + 20 + 10
    await page.locator("#catalog-next").click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.locator("#catalog-summary")).toHaveAttribute("data-count", "50");
    const second = await page
      .locator("[data-bike-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-bike-id")));
    expect(second).toHaveLength(50);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  test("a row links to its bike", async ({ page }) => {
    await page.goto("/bikes?limit=5");
    const row = page.locator("[data-bike-id]").first();
    const id = await row.getAttribute("data-bike-id");
    await row.getByRole("link").click();
    await expect(page.locator("h1")).toHaveAttribute("data-bike-id", id ?? "");
    await expect(page.locator("dl.bike")).toContainText(id ?? "");
  });
});

test.describe("errors", () => {
  test("a missing bike is a 404 page", async ({ page }) => {
    const response = await page.goto("/bikes/no-such-bike");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("404");
  });

  for (const [query, param] of [
    ["pageSize=0", "pageSize"],
    ["pageSize=1001", "pageSize"],
    ["pageSize=abc", "pageSize"],
    ["segments=17", "segments"],
    ["limit=-1", "limit"],
    ["cursor=not-a-cursor", "cursor"],
    ["segments=4&limit=10", "segments"],
  ] as const) {
    test(`/bikes?${query} is a 400 page naming ${param}`, async ({ page }) => {
      const response = await page.goto(`/bikes?${query}`);
      expect(response?.status()).toBe(400);
      await expect(page.locator(`[data-param="${param}"]`)).toBeVisible();
      expect(await response?.text()).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    });
  }

  test("the buffered page rejects bad parameters too", async ({ request }) => {
    const response = await request.get("/bikes/buffered?segments=0");
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("segments");
  });
});

test.describe("static assets", () => {
  test("the page's scripts are served before the function, cached as immutable", async ({ request }) => {
    const html = await (await request.get("/bikes?limit=1")).text();
    const script = staticScriptSrc(html);
    expect(script, "the page links a /_next/static script").toBeTruthy();
    const response = await request.get(script!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/javascript/);
    // Hashed build files never change: CloudFront (S3) and the local emulator both say so.
    expect(response.headers()["cache-control"]).toContain("immutable");
  });
});
