// Streaming proved by a gate, not by the clock (decision 032): the fault proxy holds one Scan request
// unanswered until the test releases it, so a response cannot end, and a buffered one cannot begin,
// before the release. What reaches the reader while the Scan is held was sent ahead of the rest of
// the scan, however busy the machine is.
import type { FaultControl } from "@firstbyte/dynamo-local";
import { untilIdle } from "./stack-idle";

/**
 * Holds Scan request number `after + 1` of the next request until released. Waits first until the
 * server runs no earlier request, whose Scans would otherwise count.
 */
export async function holdScan(faults: FaultControl, after: number): Promise<void> {
  await untilIdle();
  await faults.setFaults([{ operation: "Scan", after, times: 1, fault: { kind: "hold" } }]);
}

export interface HeldRead {
  /** What arrived before the held Scan was released. */
  beforeRelease: string;
  /** The whole body. */
  body: string;
  status: number;
}

async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The streaming claim: with Scan request `after + 1` held, `marker` reaches the reader; only then is
 * the Scan released and the rest read. Throws when the marker does not arrive within `waitMs` while
 * the Scan is held (a buffered response never sends it), or when the body ends without it.
 */
export async function arrivesWhileScanHeld(
  faults: FaultControl,
  url: string,
  marker: string,
  options: { after: number; waitMs?: number },
): Promise<HeldRead> {
  const waitMs = options.waitMs ?? 30_000;
  await holdScan(faults, options.after);
  const controller = new AbortController();
  try {
    const missing = `"${marker}" did not arrive while Scan #${options.after + 1} was held (${waitMs} ms)`;
    const deadline = Date.now() + waitMs;
    const response = await within(fetch(url, { signal: controller.signal }), waitMs, missing);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(marker)) {
      const { value, done } = await within(reader.read(), Math.max(0, deadline - Date.now()), missing);
      if (done) throw new Error(`${url} ended before "${marker}" arrived`);
      text += value;
    }
    // The response cannot be over while a Scan it needs is unanswered: the held one must come.
    await faults.whenHeld(1);
    const beforeRelease = text;
    await faults.release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return { beforeRelease, body: text, status: response.status };
  } finally {
    controller.abort();
    await faults.clearFaults();
  }
}

/**
 * The buffered claim: with Scan request `after + 1` held, no response head (hence no byte) reaches
 * the reader; once it is released the whole response comes. `graceMs` after the Scan is held gives
 * a streamed response's bytes time to arrive, so that this check fails for one (only the check of
 * this check needs it: a buffered response has nothing to send however long it waits).
 */
export async function nothingWhileScanHeld(
  faults: FaultControl,
  url: string,
  options: { after: number; graceMs?: number },
): Promise<HeldRead> {
  await holdScan(faults, options.after);
  const controller = new AbortController();
  try {
    let arrived = false;
    const responded = fetch(url, { signal: controller.signal }).then((response) => {
      arrived = true;
      return response;
    });
    responded.catch(() => {});
    await faults.whenHeld(1);
    await new Promise((resolve) => setTimeout(resolve, options.graceMs ?? 1000));
    if (arrived) throw new Error(`${url} answered while Scan #${options.after + 1} was held`);
    await faults.release();
    const response = await responded;
    return { beforeRelease: "", body: await response.text(), status: response.status };
  } finally {
    controller.abort();
    await faults.clearFaults();
  }
}
