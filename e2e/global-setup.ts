// Starts the local stack (in-memory DynamoDB with 2,000 bikes, a fresh build, the server) unless
// BASE_URL names a running one, and hands its URL to the workers through the environment.
import type { FullConfig } from "@playwright/test";
import { ChromiumMissing, requireChromium } from "../scripts/chromium";
import { startStack } from "../scripts/stack";
import { serveStackIdle } from "./stack-idle";

export default async function globalSetup(_config: FullConfig): Promise<(() => Promise<void>) | void> {
  try {
    requireChromium();
  } catch (error) {
    if (!(error instanceof ChromiumMissing)) throw error;
    // One line before any test, instead of every test failing at browserType.launch.
    console.error(error.message);
    process.exit(1);
  }
  if (process.env.BASE_URL) {
    console.log(`e2e: testing ${process.env.BASE_URL}`);
    return;
  }
  const stack = await startStack({
    port: 0,
    persist: false,
    seedCount: Number(process.env.EXPECTED_BIKES ?? 2000),
    // The failure specs switch DynamoDB faults on and off through it (e2e/faults.ts).
    faultProxy: true,
    log: (line) => console.log(`e2e stack: ${line}`),
  });
  process.env.BASE_URL = stack.url;
  if (stack.faultControlUrl) process.env.FAULT_PROXY_URL = stack.faultControlUrl;
  const closeIdle = await serveStackIdle(() => stack.whenIdle());
  console.log(`e2e: local stack at ${stack.url}`);
  return async () => {
    await closeIdle();
    await stack.close();
  };
}
