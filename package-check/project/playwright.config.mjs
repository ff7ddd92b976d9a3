// Chromium from CHROMIUM_PATH (the check passes the machine's); Playwright's own build otherwise.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testMatch: /.*\.spec\.mjs/,
  workers: 1,
  reporter: "list",
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || undefined, args: ["--no-sandbox"] },
  },
});
