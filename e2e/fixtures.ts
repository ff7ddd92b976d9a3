// What every spec imports: the target URL, the catalog size it expects, a page that records
// console errors so a spec can assert there were none, and a recorder of page timelines whose chart
// ends up in the HTML report.
import { test as base, type ConsoleMessage, expect } from "@playwright/test";
import type { PageTimeline } from "../scripts/browser-timeline/page-timeline";
import { attachTimelines, recordPageTimeline, type TimelineOptions } from "../scripts/browser-timeline/timing";

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

export const test = base.extend<{ consoleErrors: string[]; timeline: TimelineRecorder }>({
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
