// A reader who leaves mid-page, while the server waits on a Scan the fault proxy holds (so the
// order "left, then Scan answered" holds by construction, decision 032). Where the server is told
// (`next start`), it drops that Scan and sends no other; on Lambda a Function URL is not told, the
// function runs on, and the Scan request budget bounds the work instead.
import { type FaultControl, faultProxyClient } from "@firstbyte/dynamo-local";
import { startStack } from "../harness/stack";
import { EXPECTED_BIKES, expect, NO_FAULT_PROXY, targetUrl, test } from "./fixtures";
import { untilIdle } from "./stack-idle";

/** Scan requests received so far. */
async function scans(faults: FaultControl): Promise<number> {
  return (await faults.state()).counts.Scan?.received ?? 0;
}

/** The third Scan of the next request is held: the reader leaves while the server waits on it. */
const HOLD_THIRD_SCAN = [{ operation: "Scan", after: 2, times: 1, fault: { kind: "hold" } }] as const;

/**
 * Requests `url`, reads until `marker` has arrived and the server waits on the held Scan, then drops
 * the connection; returns the Scans sent by then.
 */
async function leaveWhileHeld(url: string, marker: string, faults: FaultControl): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${url} ended before "${marker}" arrived`);
    text += value;
  }
  await faults.whenHeld(1);
  const atLeaving = await scans(faults);
  controller.abort();
  return atLeaving;
}

/** Resolves once the proxy holds no request (its client, the server, dropped it); fails after 30 s. */
async function untilDropped(faults: FaultControl): Promise<void> {
  for (const started = Date.now(); (await faults.state()).held > 0; ) {
    if (Date.now() - started > 30_000)
      throw new Error("the server still waits on the held Scan 30 s after the reader left");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("on Lambda the function is not told the reader left: it runs on, and the Scan request budget bounds the work", async ({
  faults,
}) => {
  await faults.setFaults([...HOLD_THIRD_SCAN]);
  const atLeaving = await leaveWhileHeld(`${targetUrl()}/bikes?pageSize=10&budgetScans=15`, "data-bike-id", faults);
  expect(atLeaving).toBe(3);
  // The function is still waiting on the held Scan: a Function URL does not tell it the reader left.
  expect((await faults.state()).held).toBe(1);
  await faults.release();
  // The emulator's own signal that the invocation has ended (e2e/stack-idle.ts), not quiet time.
  await untilIdle();
  // 2,000 bikes in pages of 10 would be 200 Scan requests; the budget stops the function at 15.
  expect(await scans(faults)).toBe(15);
});

test("on next start the scan stops at the request in flight when the reader leaves, on /bikes and /api/bikes", async () => {
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
      await faults.setFaults([...HOLD_THIRD_SCAN]);
      await faults.resetCounts();
      const atLeaving = await leaveWhileHeld(`${stack.url}${path}`, marker, faults);
      // The server is told: it aborts the Scan it waits on, so the held request is dropped unreleased.
      await untilDropped(faults);
      await faults.clearFaults();
      // An aborted scan sends no further request (scanPages settles its requests before it returns);
      // a moment's grace lets a wrongly sent one show up.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await scans(faults), `${path}: Scan requests after the reader left`).toBe(atLeaving);
    }
  } finally {
    await stack.close();
  }
});
