// A /bikes page whose DynamoDB fails after three Scan pages, in Chromium: it ends without its
// terminating chunk so no cache stores it (decision 027). Its own file because Playwright sets
// tracing per worker, and tracing must be off here.
import type { Fault } from "@firstbyte/dynamo-local";
import { EXPECTED_BIKES, expect, test } from "./fixtures";

const PAGE = 50;
const FAILS_AFTER = 3; // Scan requests that succeed before DynamoDB fails for good

// Playwright's trace recorder captures each response through the DevTools protocol, and with it
// Chromium showed only the shell of a document that ends without its terminating chunk (the same
// test passes with tracing off, and a plain Chromium shows every row): the recorder, not the page,
// loses the rest.
test.use({ trace: "off" });

for (const [name, fault] of [
  ["HTTP 500", { kind: "http500" }],
  ["a reset connection", { kind: "reset" }],
] as const satisfies ReadonlyArray<readonly [string, Fault]>) {
  test(`in Chromium, ${name}: every row shown stays visible with the error row after them, and the page hydrates with no console error`, async ({
    page,
    faults,
    consoleErrors,
  }) => {
    await faults.setFaults([{ operation: "Scan", after: FAILS_AFTER, fault }]);
    // The response ends without its terminating chunk so no cache stores it (decision 027): Chromium
    // then never fires `load` (the document stays "loading"), so wait for the navigation to commit.
    await page.goto(`/bikes?pageSize=${PAGE}`, { waitUntil: "commit" });
    await expect(page.locator("#catalog-error")).toBeVisible();
    await expect(page.locator("#catalog-error")).toContainText("Continue from here");
    await expect(page.locator("tbody.skeleton")).toHaveCount(0);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    // Rows on screen, not merely in the DOM (a streamed segment sits hidden until React reveals it):
    // every row read before the failure, the first and the last of them too.
    await expect(page.locator("[data-bike-id]:visible")).toHaveCount(FAILS_AFTER * PAGE);
    await expect(page.locator("[data-bike-id]")).toHaveCount(FAILS_AFTER * PAGE);
    await expect(page.locator("[data-bike-id]").first()).toBeVisible();
    await expect(page.locator("[data-bike-id]").last()).toBeVisible();
    // The error row comes after every bike row.
    const afterRows = await page.evaluate(() => {
      const error = document.querySelector("#catalog-error");
      const last = [...document.querySelectorAll("[data-bike-id]")].at(-1);
      return !!error && !!last && (last.compareDocumentPosition(error) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    expect(afterRows).toBe(true);
    const shown = await page
      .locator("[data-bike-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-bike-id")));
    // Chromium reports the cut-off document itself; nothing else may fail.
    expect(consoleErrors.filter((error) => !/ERR_INCOMPLETE_CHUNKED_ENCODING/.test(error))).toEqual([]);

    await faults.clearFaults();
    await page.locator("#catalog-continue").click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.locator("#catalog-summary")).toHaveAttribute("data-complete", "true");
    const rest = await page
      .locator("[data-bike-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-bike-id")));
    expect(rest.filter((id) => shown.includes(id))).toEqual([]);
    expect(new Set([...shown, ...rest]).size).toBe(EXPECTED_BIKES);
    expect(shown.length + rest.length).toBe(EXPECTED_BIKES);
    expect(consoleErrors.filter((error) => !/ERR_INCOMPLETE_CHUNKED_ENCODING/.test(error))).toEqual([]);
  });
}
