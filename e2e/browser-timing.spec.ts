// What the browser sees of the streamed and the buffered catalog, in order — never milliseconds
// (timings are the benchmark's job: npm run perf:ttfb). An order between two events is asserted only
// where it holds by construction: cause and effect within one page, or a Scan held by the fault
// proxy until the test releases it (e2e/held-scan.ts, decision 032). The chart of every recorded
// page is attached to the HTML report as timeline.svg, the numbers as timeline.json.

import type { PageTimeline } from "../harness/browser-timeline/page-timeline";
import { EXPECTED_BIKES, expect, test } from "./fixtures";
import { holdScan } from "./held-scan";

/** Asserts that the named moments happened in this order (ties allowed), naming the pair that is not. */
function expectInOrder(timeline: PageTimeline, moments: Array<[string, number]>): void {
  for (let i = 1; i < moments.length; i++) {
    const [earlierName, earlier] = moments[i - 1]!;
    const [laterName, later] = moments[i]!;
    expect(
      earlier,
      `${timeline.label}: ${earlierName} (${earlier.toFixed(1)} ms) is not after ${laterName} (${later.toFixed(1)} ms)`,
    ).toBeLessThanOrEqual(later);
  }
}

/**
 * The catalog size of the pages a test holds a Scan of: five Scan pages at the default sizes (25, 50,
 * 100, 200, 25), so that the rest of the scan after the release stays well inside the page's time
 * budget on a loaded machine (the held time counts against it).
 */
const HELD_LIMIT = 400;

function expectComplete(timeline: PageTimeline, rows = EXPECTED_BIKES): void {
  expect(timeline.status, `${timeline.label}: status`).toBe(200);
  expect(timeline.rows, `${timeline.label}: rows rendered`).toBe(rows);
  expect(timeline.hydrated, `${timeline.label}: hydrated`).toBeGreaterThan(0);
  expectInOrder(timeline, [
    ["responseStart", timeline.responseStart],
    ["shell inserted", timeline.shell.inserted],
    ["first row inserted", timeline.firstRow.inserted],
    ["first row visible", timeline.firstRow.visible],
    ["last row visible", timeline.lastRow.visible],
  ]);
  expectInOrder(timeline, [
    ["last row inserted", timeline.lastRow.inserted],
    ["last row visible", timeline.lastRow.visible],
  ]);
}

test.describe("the catalog in the browser, in order", () => {
  test("both pages render every bike in a causal order: first byte, shell, first row, last row", async ({
    timeline,
    consoleErrors,
  }) => {
    // Within one page every pair below is cause and effect (a row cannot be painted before it is in
    // the DOM, nor be in it before the first byte), so ties are allowed and the clock cannot flip them.
    for (const path of ["/bikes", "/bikes/buffered"]) expectComplete(await timeline.record(path));
    expect(consoleErrors).toEqual([]);
  });

  test("with a later Scan held, /bikes paints its first rows and only after the release its last; /bikes/buffered shows nothing", async ({
    page,
    timeline,
    consoleErrors,
    faults,
  }) => {
    // Warm the route and the browser's cache of the app's scripts.
    await timeline.record("/bikes?limit=1", { label: "/bikes?limit=1 (warm-up)" });

    // The third Scan is held (decision 032): the first rows must be painted while it is, and the
    // last row cannot be in the DOM before it is released, whatever the machine's load.
    await holdScan(faults, 2);
    const streaming = timeline.record(`/bikes?limit=${HELD_LIMIT}`, { label: "/bikes, third Scan held" });
    await faults.whenHeld(1);
    await expect(page.locator("[data-bike-id]").first()).toBeVisible();
    const paintedWhileHeld = await page.locator("[data-bike-id]").count();
    expect((await faults.state()).held, "the Scan was still held when the first row was painted").toBe(1);
    await faults.release();
    const streamed = await streaming;
    expectComplete(streamed, HELD_LIMIT);
    expect(paintedWhileHeld, "only the rows of the Scans before the held one").toBeLessThan(HELD_LIMIT);
    expect(
      streamed.firstRow.visible,
      "/bikes: the first row is painted before the last row is in the DOM",
    ).toBeLessThan(streamed.lastRow.inserted);

    // The buffered page: while a Scan is held, the navigation has not even committed (no first byte).
    await holdScan(faults, 2);
    const buffering = timeline.record(`/bikes/buffered?limit=${HELD_LIMIT}`, {
      label: "/bikes/buffered, third Scan held",
    });
    await faults.whenHeld(1);
    // Time for a first byte to arrive if one had been sent; only the check of this check needs it.
    await page.waitForTimeout(1000);
    expect(page.url(), "/bikes/buffered committed while a Scan was held").not.toContain("/bikes/buffered");
    await faults.release();
    expectComplete(await buffering, HELD_LIMIT);
    expect(consoleErrors).toEqual([]);
  });

  test("the check of the check: /bikes commits while a Scan is held, which /bikes/buffered is checked not to do", async ({
    page,
    timeline,
    faults,
  }) => {
    await page.goto("about:blank");
    await holdScan(faults, 2);
    const streaming = timeline.record(`/bikes?limit=${HELD_LIMIT}`, {
      label: "/bikes, third Scan held (check of the check)",
    });
    await faults.whenHeld(1);
    // What the buffered page is asserted not to do, /bikes does while the Scan is still held.
    await expect.poll(() => page.url()).toContain("/bikes");
    expect((await faults.state()).held).toBe(1);
    await faults.release();
    expectComplete(await streaming, HELD_LIMIT);
  });

  test("with DynamoDB slower than the bounded wait, the shell is in the DOM and painted before the first row", async ({
    page,
    timeline,
    consoleErrors,
    faults,
  }) => {
    await timeline.record("/bikes?limit=1", { label: "/bikes?limit=1 (warm-up)" });
    // The first Scan is held beyond the page's bounded wait: the shell must be painted while it is.
    await holdScan(faults, 0);
    const recording = timeline.record(`/bikes?limit=${HELD_LIMIT}`, { label: "/bikes, first Scan held" });
    await faults.whenHeld(1);
    await expect(page.locator("#catalog")).toBeVisible();
    await expect(page.locator("[data-bike-id]")).toHaveCount(0);
    await faults.release();
    const slow = await recording;
    expectComplete(slow, HELD_LIMIT);
    expect(slow.shell.inserted, "the shell is in the DOM before the first row").toBeLessThan(slow.firstRow.inserted);
    expect(slow.shell.visible, "the shell is painted before the first row").toBeLessThan(slow.firstRow.visible);
    expect(consoleErrors).toEqual([]);
  });
});
