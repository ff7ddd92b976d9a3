// `@firstbyte/ttfb/playwright`: a Playwright fixture that reads, for one navigation, what the browser
// saw of a streamed page: its Navigation Timing (first byte, end of the response) and the moment
// each chosen element first entered the DOM. The wire-level `measure` is offered next to it, so a
// spec can compare what the socket got with what the page showed. Nothing here is timed against a
// threshold: the numbers are for ordering and for reports.
import { test as base, type Page } from "@playwright/test";
import { type Measurement, type MeasureOptions, measure } from "./measure.ts";

export interface BrowserTimingOptions {
  /** Name → CSS selector; the time each first matches an element in the DOM is reported. */
  selectors?: Record<string, string>;
  /** How long to wait for the page's `load` event, in ms. Default 30,000. */
  timeout?: number;
}

/** Every time is milliseconds on the page's own clock, whose origin is the navigation start. */
export interface BrowserTiming {
  url: string;
  /** The document's HTTP status (0 if the browser got none). */
  status: number;
  /** Navigation Timing `responseStart`: the first byte of the response reached the browser. */
  ttfbMs: number;
  /** Navigation Timing `responseEnd`: the last byte of the document arrived. */
  responseEndMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  /** When each selector first matched an element in the DOM; `undefined` if it never did. */
  selectors: Record<string, number | undefined>;
}

export interface TtfbFixture {
  /** Navigates the test's page to `url` (resolved against `baseURL`) and reports what the browser saw. */
  navigate(url: string, options?: BrowserTimingOptions): Promise<BrowserTiming>;
  /** `measure` from `@firstbyte/ttfb`, with `url` resolved against `baseURL`: the same response as the socket sees it. */
  measure(url: string, options?: MeasureOptions): Promise<Measurement>;
}

const STATE = "__ttfbSelectors";

/** Runs in the page before its own scripts: stamps each selector's first match as the parser inserts nodes. */
function watchSelectors(arg: { state: string; selectors: Record<string, string> }): void {
  const seen: Record<string, number> = {};
  (window as unknown as Record<string, unknown>)[arg.state] = seen;
  const check = () => {
    let pending = false;
    for (const [name, selector] of Object.entries(arg.selectors)) {
      if (name in seen) continue;
      if (document.querySelector(selector)) seen[name] = performance.now();
      else pending = true;
    }
    return pending;
  };
  const observer = new MutationObserver(() => {
    if (!check()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function navigate(page: Page, baseURL: string | undefined, url: string, options: BrowserTimingOptions) {
  const selectors = options.selectors ?? {};
  const target = new URL(url, baseURL).href;
  // An init script cannot be removed: each navigation adds its own, and since init scripts run in
  // the order they were added, the newest one owns the window key that is read below.
  await page.addInitScript(watchSelectors, { state: STATE, selectors });
  const response = await page.goto(target, { waitUntil: "load", timeout: options.timeout ?? 30_000 });
  const read = await page.evaluate((state) => {
    const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    const seen = (window as unknown as Record<string, Record<string, number>>)[state] ?? {};
    return {
      ttfbMs: entry?.responseStart ?? Number.NaN,
      responseEndMs: entry?.responseEnd ?? Number.NaN,
      domContentLoadedMs: entry?.domContentLoadedEventStart ?? Number.NaN,
      loadMs: entry?.loadEventStart ?? Number.NaN,
      seen,
    };
  }, STATE);
  const timing: BrowserTiming = {
    url: target,
    status: response?.status() ?? 0,
    ttfbMs: read.ttfbMs,
    responseEndMs: read.responseEndMs,
    domContentLoadedMs: read.domContentLoadedMs,
    loadMs: read.loadMs,
    selectors: Object.fromEntries(Object.keys(selectors).map((name) => [name, read.seen[name]])),
  };
  return timing;
}

/**
 * Playwright's `test` with a `ttfb` fixture:
 *
 * ```ts
 * import { expect, test } from "@firstbyte/ttfb/playwright";
 * test("shell first", async ({ ttfb }) => {
 *   const t = await ttfb.navigate("/", { selectors: { shell: "header", last: "#done" } });
 *   expect(t.selectors.shell).toBeLessThan(t.selectors.last!);
 * });
 * ```
 */
export const test = base.extend<{ ttfb: TtfbFixture }>({
  ttfb: async ({ page, baseURL }, use) => {
    await use({
      navigate: (url, options = {}) => navigate(page, baseURL, url, options),
      measure: (url, options) => measure(new URL(url, baseURL).href, options),
    });
  },
});

export { expect } from "@playwright/test";
