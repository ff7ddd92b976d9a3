// Order and shape of the streamed response on the wire — never milliseconds (timings are the
// benchmark's job: npm run perf:ttfb / npm run bench). Every order here holds by construction: the
// fault proxy holds one Scan request until the test releases it (e2e/held-scan.ts, decision 032), so
// what arrives before the release was sent ahead of the rest of the scan, and a buffered response
// cannot begin before it. Each streaming check is also run against the buffered variant, where it
// must fail: a check that passes for both proves nothing about streaming.
import { bikeIdsOf, ndjsonLines } from "../harness/ndjson";
import { attributeOf, bikeRowIds } from "../harness/server-html";
import { EXPECTED_BIKES, expect, test } from "./fixtures";
import { arrivesWhileScanHeld, nothingWhileScanHeld } from "./held-scan";

const SHELL = 'id="catalog"';
const FIRST_ROW = 'data-bike-id="';
const SUMMARY = 'id="catalog-summary"';
/** The third Scan is held: the first two (25 and 50 bikes at the default page sizes) come through. */
const AFTER = 2;
/** How long a check of the checks waits for what a buffered response never sends while held. */
const SHORT_WAIT_MS = 3000;

test.describe("streaming on the wire", () => {
  test("/bikes sends its shell and first rows while a later Scan is still unanswered; the rest after it", async ({
    faults,
    baseURL,
  }) => {
    const read = await arrivesWhileScanHeld(faults, `${baseURL}/bikes`, FIRST_ROW, { after: AFTER });
    expect(read.status).toBe(200);
    expect(read.beforeRelease, "the shell came before the held Scan was answered").toContain(SHELL);
    expect(read.beforeRelease, "the closing line waited for the held Scan").not.toContain(SUMMARY);
    expect(read.body.indexOf(SUMMARY)).toBeGreaterThan(read.beforeRelease.length);
    expect(new Set(bikeRowIds(read.body)).size, "every bike was sent").toBe(EXPECTED_BIKES);
    // Shape: the later pages stream as Suspense fallbacks in the shell and rows in hidden segments
    // that React's $RC moves into place.
    const html = read.body;
    const skeleton = html.indexOf('aria-busy="true"');
    expect(skeleton, "the shell carries a Suspense fallback").toBeGreaterThan(-1);
    expect(html.indexOf(' hidden id="S:'), "rows are streamed in hidden segments").toBeGreaterThan(skeleton);
    // The page waits a bounded time for the first Scan (BIKES_FIRST_PAGE_WAIT_MS, decision 021) and
    // says which way it went; which one is the clock's to decide, so both are checked for their shape
    // (the next test holds the first Scan to force the second way).
    const firstRow = html.indexOf(FIRST_ROW);
    const inSegment = html.lastIndexOf(' hidden id="S:', firstRow);
    if (attributeOf(html, "catalog", "data-first-page") === "shell") {
      expect(firstRow, "the first rows are in the shell, before the next page's fallback").toBeLessThan(skeleton);
      expect(inSegment, "the first row is in no streamed segment").toBe(-1);
    } else {
      expect(attributeOf(html, "catalog", "data-first-page")).toBe("streamed");
      expect(inSegment, "the first row is in a streamed segment").toBeGreaterThan(skeleton);
    }
  });

  test("when the first Scan is unanswered, the shell leaves with the skeleton and the rows follow it", async ({
    faults,
    baseURL,
  }) => {
    // The first Scan is held far beyond the page's bounded wait for it (BIKES_FIRST_PAGE_WAIT_MS).
    const read = await arrivesWhileScanHeld(faults, `${baseURL}/bikes`, 'aria-busy="true"', { after: 0 });
    expect(read.status).toBe(200);
    expect(read.beforeRelease).toContain(SHELL);
    expect(read.beforeRelease, "no row can come before the first Scan answers").not.toContain(FIRST_ROW);
    const html = read.body;
    expect(attributeOf(html, "catalog", "data-first-page"), "the page did not wait for the held Scan").toBe("streamed");
    const firstRow = html.indexOf(FIRST_ROW);
    expect(firstRow).toBeGreaterThan(read.beforeRelease.length);
    expect(html.lastIndexOf(' hidden id="S:', firstRow), "the first row is in a streamed segment").toBeGreaterThan(
      html.indexOf('aria-busy="true"'),
    );
    expect(new Set(bikeRowIds(html)).size, "every row was still sent").toBe(EXPECTED_BIKES);
  });

  test("/bikes/buffered sends nothing while a Scan is unanswered, then the whole page", async ({ faults, baseURL }) => {
    const read = await nothingWhileScanHeld(faults, `${baseURL}/bikes/buffered`, { after: AFTER });
    expect(read.status).toBe(200);
    expect(new Set(bikeRowIds(read.body)).size).toBe(EXPECTED_BIKES);
  });

  test("/api/bikes sends its first NDJSON line while a later Scan is unanswered; the buffered array waits", async ({
    faults,
    baseURL,
  }) => {
    const streamed = await arrivesWhileScanHeld(faults, `${baseURL}/api/bikes?pageSize=100`, "\n", {
      after: AFTER,
    });
    expect(streamed.status).toBe(200);
    expect(JSON.parse(streamed.beforeRelease.slice(0, streamed.beforeRelease.indexOf("\n")))).toMatchObject({
      page: 0,
      count: 100,
    });
    expect(new Set(bikeIdsOf(ndjsonLines(streamed.body))).size, "every bike was sent").toBe(EXPECTED_BIKES);
    const buffered = await nothingWhileScanHeld(faults, `${baseURL}/api/bikes?mode=buffered&pageSize=100`, {
      after: AFTER,
    });
    expect(buffered.status).toBe(200);
    expect((JSON.parse(buffered.body) as unknown[]).length).toBe(EXPECTED_BIKES);
  });

  // The checks of the checks: each streaming check fails against a buffered response, and the
  // buffered check fails against a streamed one.
  test("the streaming checks fail against the buffered variants, and the buffered check against /bikes", async ({
    faults,
    baseURL,
  }) => {
    await expect(
      arrivesWhileScanHeld(faults, `${baseURL}/bikes/buffered`, FIRST_ROW, { after: AFTER, waitMs: SHORT_WAIT_MS }),
    ).rejects.toThrow(/did not arrive while Scan #3 was held/);
    await expect(
      arrivesWhileScanHeld(faults, `${baseURL}/api/bikes?mode=buffered&pageSize=100`, "\n", {
        after: AFTER,
        waitMs: SHORT_WAIT_MS,
      }),
    ).rejects.toThrow(/did not arrive while Scan #3 was held/);
    await expect(nothingWhileScanHeld(faults, `${baseURL}/bikes`, { after: AFTER })).rejects.toThrow(
      /answered while Scan #3 was held/,
    );
    await expect(nothingWhileScanHeld(faults, `${baseURL}/api/bikes?pageSize=100`, { after: AFTER })).rejects.toThrow(
      /answered while Scan #3 was held/,
    );
  });
});
