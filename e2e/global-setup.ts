// Starts the local stack (in-memory DynamoDB with 2,000 bikes, a fresh build, the server, the edge
// cache in front of it) unless BASE_URL names a running one, and hands its URLs to the workers
// through the environment: BASE_URL is the function itself, so the specs see every response fresh;
// EDGE_URL the edge cache, for e2e/edge.spec.ts. Against a deployed stage both are CloudFront.
import type { FullConfig } from "@playwright/test";
import { ChromiumMissing, requireChromium } from "../harness/chromium";
import { startStack } from "../harness/stack";
import { E2E_S_MAXAGE_S, E2E_STALE_WHILE_REVALIDATE_S } from "./edge-lifetimes";
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
  // Short lifetimes, so e2e/edge.spec.ts sees a stored page go stale and a new bike appear in seconds.
  process.env.BIKES_CACHE_S_MAXAGE ??= String(E2E_S_MAXAGE_S);
  process.env.BIKES_CACHE_STALE_WHILE_REVALIDATE ??= String(E2E_STALE_WHILE_REVALIDATE_S);
  const stack = await startStack({
    port: 0,
    persist: false,
    seedCount: Number(process.env.EXPECTED_BIKES ?? 2000),
    // The failure specs switch DynamoDB faults on and off through it (e2e/faults.ts).
    faultProxy: true,
    edge: true,
    log: (line) => console.log(`e2e stack: ${line}`),
  });
  process.env.BASE_URL = stack.originUrl;
  process.env.EDGE_URL = stack.url;
  // e2e/edge.spec.ts adds a bike to see it appear through the edge, e2e/hostile-data.spec.ts its
  // hostile items (each removes them again).
  process.env.E2E_DYNAMODB_ENDPOINT = stack.dynamodbEndpoint;
  if (stack.faultControlUrl) process.env.FAULT_PROXY_URL = stack.faultControlUrl;
  const closeIdle = await serveStackIdle(() => stack.whenIdle());
  console.log(`e2e: local stack at ${stack.originUrl}, its edge cache at ${stack.url}`);
  return async () => {
    await closeIdle();
    await stack.close();
  };
}
