// What every spec imports: the target URL, the catalog size it expects, a page that records
// console errors so a spec can assert there were none, and a recorder of page timelines whose chart
// ends up in the HTML report.
import { type FaultControl, faultProxyClient } from "@firstbyte/dynamo-local";
import { test as base, type ConsoleMessage, expect } from "@playwright/test";
import type { PageTimeline } from "../harness/browser-timeline/page-timeline";
import { attachTimelines, recordPageTimeline, type TimelineOptions } from "../harness/browser-timeline/timing";
import { NO_FAULT_PROXY } from "../harness/e2e-skips/skips";
import { untilIdle } from "./stack-idle";

export { NO_FAULT_PROXY, SMALL_CATALOG } from "../harness/e2e-skips/skips";

export const EXPECTED_BIKES = Number(process.env.EXPECTED_BIKES ?? 2000);

export function targetUrl(): string {
  const url = process.env.BASE_URL;
  if (!url) throw new Error("BASE_URL is not set: global-setup.ts should have started a stack");
  return url.replace(/\/$/, "");
}

/** Records timelines with the test's page; every one recorded is charted in the report, even when the test fails. */
export interface TimelineRecorder {
  record(url: string, options?: TimelineOptions): Promise<PageTimeline>;
  readonly recorded: readonly PageTimeline[];
}

export const test = base.extend<{ consoleErrors: string[]; timeline: TimelineRecorder; faults: FaultControl }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's first parameter, which must be a destructuring pattern.
  baseURL: async ({}, use) => use(targetUrl()),
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() === "error") errors.push(`${message.text()} (${message.location().url || "no url"})`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await use(errors);
  },
  // The fault proxy between the local stack's server and DynamoDB; a test that asks for it is skipped
  // against a deployed stage. Rules and counts start empty and are cleared after the test.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's first parameter, which must be a destructuring pattern.
  faults: async ({}, use, testInfo) => {
    const url = process.env.FAULT_PROXY_URL;
    testInfo.skip(!url, NO_FAULT_PROXY);
    const faults = faultProxyClient(url as string);
    await faults.clearFaults();
    // An earlier test's request may still be running on the server (a Function URL is not told its
    // client left): wait until the server runs no request, so its Scans do not count against this
    // test's rules (e2e/stack-idle.ts).
    await untilIdle();
    await faults.resetCounts();
    try {
      await use(faults);
    } finally {
      // Also releases any held request, so the server can finish it.
      await faults.clearFaults();
    }
  },
  timeline: async ({ page }, use, testInfo) => {
    const recorded: PageTimeline[] = [];
    await use({
      record: async (url, options) => {
        const timeline = await recordPageTimeline(page, url, options);
        recorded.push(timeline);
        return timeline;
      },
      recorded,
    });
    await attachTimelines(testInfo, recorded);
  },
});

export { expect };
