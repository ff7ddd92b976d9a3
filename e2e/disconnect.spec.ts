// A reader who leaves mid-page. Where the server is told (`next start`), the scan stops within one
// page; on Lambda a Function URL is not told, and the Scan request budget bounds the work instead.
import { type FaultControl, faultProxyClient } from "@firstbyte/dynamo-local";
import { startStack } from "../harness/stack";
import { EXPECTED_BIKES, expect, NO_FAULT_PROXY, targetUrl, test } from "./fixtures";

/** Scan requests received so far. */
async function scans(faults: FaultControl): Promise<number> {
  return (await faults.state()).counts.Scan?.received ?? 0;
}

/** Waits until the server sends no more Scan requests (none for a second), and returns how many it sent. */
async function scansWhenSettled(faults: FaultControl): Promise<number> {
  let before = -1;
  let now = await scans(faults);
  while (now !== before) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    before = now;
    now = await scans(faults);
  }
  return now;
}

/** Requests `url`, reads until `marker` has arrived, then drops the connection; returns the Scans sent by then. */
async function leaveAfter(url: string, marker: string, faults: FaultControl): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${url} ended before "${marker}" arrived`);
    text += value;
  }
  const atLeaving = await scans(faults);
  controller.abort();
  return atLeaving;
}

// Every Scan answers 50 ms late, so a scan of 2,000 bikes in pages of 10 (200 requests) is still
// running when the reader leaves.
const SLOW_SCANS = [{ operation: "Scan", fault: { kind: "latency", ms: 50 } }] as const;

test("on Lambda the function is not told the reader left: the Scan request budget bounds the work", async ({
  faults,
}) => {
  await faults.setFaults([...SLOW_SCANS]);
  await leaveAfter(`${targetUrl()}/bikes?pageSize=10&budgetScans=15`, "data-bike-id", faults);
  // 2,000 bikes in pages of 10 would be 200 Scan requests; the budget stops the function at 15.
  expect(await scansWhenSettled(faults)).toBe(15);
});

test("on next start the scan stops within one page of the reader leaving, on /bikes and /api/bikes", async () => {
  test.skip(!process.env.FAULT_PROXY_URL, NO_FAULT_PROXY);
  // `next build` (when its output is stale) and seeding a stack of its own.
  test.setTimeout(400_000);
  const stack = await startStack({
    port: 0,
    persist: false,
    seedCount: EXPECTED_BIKES,
    server: "next",
    faultProxy: true,
    log: (line) => console.log(`next-start stack: ${line}`),
  });
  try {
    const faults = faultProxyClient(stack.faultControlUrl as string);
    for (const [path, marker] of [
      ["/bikes?pageSize=10", "data-bike-id"],
      ["/api/bikes?pageSize=10", '"page":1,'],
    ] as const) {
      await faults.setFaults([...SLOW_SCANS]);
      await faults.resetCounts();
      const atLeaving = await leaveAfter(`${stack.url}${path}`, marker, faults);
      const settled = await scansWhenSettled(faults);
      // At most the request in flight when the reader left, and not the 200 of the whole table.
      expect(settled - atLeaving, `${path}: Scan requests after the reader left`).toBeLessThanOrEqual(1);
    }
  } finally {
    await stack.close();
  }
});
