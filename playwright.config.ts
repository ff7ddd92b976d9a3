// The e2e suite. Without BASE_URL it starts its own local stack on free ports (global-setup.ts);
// with BASE_URL=https://xxxx.cloudfront.net it runs unchanged against a deployed stage.
import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_ARGS, chromiumForConfig } from "./harness/chromium";

// CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own build (executablePath left
// unset); `npm test` installs one first (scripts/ensure-chromium.ts), global-setup.ts stops without.
const executablePath = chromiumForConfig();
// Read before global-setup.ts sets BASE_URL to the stack it starts: given here, it names a deployed stage.
const skips: [string, { deployed: boolean; expectedBikes: number }] = [
  "./harness/e2e-skips/skip-reporter.ts",
  { deployed: !!process.env.BASE_URL, expectedBikes: Number(process.env.EXPECTED_BIKES ?? 2000) },
];

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  // One worker: the TTFB specs compare timings, and two cores are shared with the server.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["html", { open: "never" }], skips],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath,
      args: CHROMIUM_LAUNCH_ARGS,
    },
    trace: "retain-on-failure",
  },
});
