// What every spec imports: the target URL, the catalog size it expects, and a page that records
// console errors so a spec can assert there were none.
import { test as base, expect, type ConsoleMessage } from "@playwright/test";

export const EXPECTED_BIKES = Number(process.env.EXPECTED_BIKES ?? 2000);

export function targetUrl(): string {
  const url = process.env.BASE_URL;
  if (!url) throw new Error("BASE_URL is not set: global-setup.ts should have started a stack");
  return url.replace(/\/$/, "");
}

export const test = base.extend<{ consoleErrors: string[] }>({
  baseURL: async ({}, use) => use(targetUrl()),
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() === "error") errors.push(`${message.text()} (${message.location().url || "no url"})`);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await use(errors);
  },
});

export { expect };
