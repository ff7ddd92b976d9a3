// `npm run load`: N concurrent clients for T seconds against the local stack (autocannon), with the
// Function URL emulator's reserved concurrency (10 by default) in front of the function. What it
// checks: every answer is a 200 or the emulator's 429 (TooManyRequestsException), no connection is
// reset or times out, and the server answers a normal 200 afterwards. Exits 1 when any check fails.
// Reports per status the time to the response head (TTFB) and to the whole response.
// Like `npm start`, the stack it starts has the edge cache in front of the function
// (docs/decisions/029-local-edge-nginx.md); it counts the function's invocations during the run.
// `--origin` loads the function itself, as before the edge existed.
// Usage: npm run load -- [--url http://127.0.0.1:PORT] [--path /bikes] [--connections 20]
//   [--duration 10] [--max-requests 20000] [--concurrency 10] [--bikes 2000] [--origin] [--json FILE]
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { type Stack, startStack } from "../harness/stack";
import { readConfig } from "../lib/config";
import { parseWholeNumber } from "../lib/whole-number";

const USAGE =
  "usage: npm run load -- [--url http://127.0.0.1:PORT] [--path /bikes] [--connections 20] [--duration 10] [--max-requests 20000] [--concurrency 10] [--bikes 2000] [--origin] [--json FILE]";
function usageError(message: string): never {
  console.error(`load: ${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    path: { type: "string", default: "/bikes" },
    connections: { type: "string", default: "20" },
    duration: { type: "string", default: "10" },
    "max-requests": { type: "string", default: "20000" },
    concurrency: { type: "string", default: "10" },
    bikes: { type: "string", default: "2000" },
    json: { type: "string" },
    origin: { type: "boolean", default: false },
  },
});

// Bounds: this is a check of behaviour under overload on one machine, not a stress test.
function wholeArg(name: keyof typeof values, min: number, max: number): number {
  const result = parseWholeNumber(String(values[name]), { min, max });
  return result.ok ? result.value : usageError(`--${name} ${result.problem}`);
}
const connections = wholeArg("connections", 1, 200);
const durationSeconds = wholeArg("duration", 1, 120);
const maxRequests = wholeArg("max-requests", connections, 200_000);
const concurrency = wholeArg("concurrency", 1, 50);
const bikes = wholeArg("bikes", 1, 100_000);
if (!values.path.startsWith("/")) usageError(`--path must start with /, got "${values.path}"`);

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
if (values.url !== undefined) {
  const url = URL.canParse(values.url) ? new URL(values.url) : usageError(`--url is not a URL: "${values.url}"`);
  if (url.protocol !== "http:" || !LOOPBACK.has(url.hostname))
    usageError(`--url must be an http:// address on this machine (127.0.0.1, localhost, [::1]), got "${values.url}"`);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
function distribution(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
const ms = (value: number) => (Number.isNaN(value) ? "–" : `${Math.round(value)} ms`);

/** GET the path until it answers 200 with its whole body; the time it took, or undefined. */
async function answersNormally(url: string, withinMs: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // Connection refused or reset: try again until the deadline.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

let stack: Stack | undefined;
let base = values.url?.replace(/\/$/, "");
/** The emulator's line for one invocation: request id, method, path, status (not a throttle, not a static file, not function output). */
const INVOCATION_LINE = /^(?!static |\[)\S+ (GET|HEAD) \S+ \d{3} (?!throttled)/;
/** Function invocations (the emulator logs one line each) while counting is on. */
let invocations = 0;
let countInvocations = false;
if (base === undefined) {
  stack = await startStack({
    port: 0,
    persist: false,
    seedCount: bikes,
    edge: !values.origin,
    // One line per invocation would be thousands: they are counted, not printed.
    lambda: { concurrency, log: (line) => void (countInvocations && INVOCATION_LINE.test(line) && invocations++) },
    log: (line) => console.error(line),
  });
  base = stack.url;
}
const target = `${base}${values.path}`;
let failed = false;
try {
  // Warm-up: a cold function compiles the route; the load should meet a warm one.
  if ((await answersNormally(target, 60_000)) === undefined)
    throw new Error(`${target} does not answer 200 before the load; is the server up?`);

  console.error(
    `load: ${connections} connections for ${durationSeconds} s (at most ${maxRequests} requests) against ${target}${stack ? `, function concurrency ${concurrency}` : ""}`,
  );
  const latencies = new Map<number, number[]>();
  // Time to the response head, per status, on autocannon's own connections (one request at a time
  // each): from the moment a client issues a request to the moment its status line and headers are
  // parsed. The emulator sends the head when the function's prelude arrives, so for a 200 this is
  // the function's time to its first write; autocannon's own latency is the whole response.
  const headTimes = new Map<number, number[]>();
  const record = (into: Map<number, number[]>, status: number, ms: number) => {
    const list = into.get(status) ?? [];
    list.push(ms);
    into.set(status, list);
  };
  const errorCodes = new Map<string, number>();
  let settle: (result: autocannon.Result) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  countInvocations = true;
  const instance = autocannon(
    {
      url: target,
      connections,
      duration: durationSeconds,
      maxOverallRequests: maxRequests,
      timeout: 30,
      headers: { "accept-encoding": "identity" },
      setupClient: (client) => {
        // autocannon's Client (lib/httpClient.js) also emits "request" and "headers"; its typings list fewer.
        const events = client as unknown as NodeJS.EventEmitter;
        let issuedAt: number | undefined;
        events.on("request", () => {
          issuedAt = performance.now();
        });
        events.on("headers", (head: { statusCode: number }) => {
          if (issuedAt !== undefined) record(headTimes, head.statusCode, performance.now() - issuedAt);
          issuedAt = undefined;
        });
      },
    },
    (error, result) => (error ? fail(error) : settle(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => record(latencies, statusCode, responseTime));
  instance.on("reqError", (error: NodeJS.ErrnoException) => {
    const code = error.code ?? error.message;
    errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
  });

  const result = await finished;
  countInvocations = false;

  const recoveredMs = await answersNormally(target, 60_000);

  const statusCounts = Object.fromEntries([...latencies].map(([status, list]) => [status, list.length]));
  const byStatus = Object.fromEntries([...latencies].map(([status, list]) => [status, distribution(list)]));
  const headByStatus = Object.fromEntries([...headTimes].map(([status, list]) => [status, distribution(list)]));
  const report = {
    target,
    connections,
    durationSeconds: result.duration,
    functionConcurrency: stack ? concurrency : undefined,
    through: stack ? (values.origin ? "the function" : "the edge cache") : undefined,
    functionInvocations: stack ? invocations : undefined,
    requests: { sent: result.requests.sent, answered: [...latencies.values()].reduce((n, l) => n + l.length, 0) },
    statusCounts,
    errors: { total: result.errors, timeouts: result.timeouts, byCode: Object.fromEntries(errorCodes) },
    responseTimeMs: { what: "request issued to last byte (autocannon's latency)", ...byStatus },
    ttfbMs: { what: "request issued to response head parsed, on autocannon's connections", ...headByStatus },
    answeredNormallyAfterMs: recoveredMs === undefined ? null : Math.round(recoveredMs),
  };

  console.log(`\n${target}: ${connections} connections, ${result.duration} s`);
  console.log(`requests: ${report.requests.sent} sent, ${report.requests.answered} answered`);
  if (stack) console.log(`function invocations during the load (through ${report.through}): ${invocations}`);
  for (const [status, whole] of Object.entries(byStatus)) {
    const head = headByStatus[status];
    console.log(
      `  ${status}: ${whole.n} answers; TTFB (head) p50 ${ms(head?.p50 ?? Number.NaN)}, p90 ${ms(head?.p90 ?? Number.NaN)}, p99 ${ms(head?.p99 ?? Number.NaN)} (${ms(head?.min ?? Number.NaN)}–${ms(head?.max ?? Number.NaN)}); whole response p50 ${ms(whole.p50)}, p90 ${ms(whole.p90)}, p99 ${ms(whole.p99)} (${ms(whole.min)}–${ms(whole.max)})`,
    );
  }
  console.log(
    `errors: ${result.errors} (timeouts ${result.timeouts}${[...errorCodes].map(([code, n]) => `, ${code} ${n}`).join("")})`,
  );
  console.log(
    recoveredMs === undefined
      ? "afterwards: no 200 within 60 s"
      : `afterwards: 200 again after ${Math.round(recoveredMs)} ms`,
  );

  const problems: string[] = [];
  const unexpected = Object.keys(statusCounts).filter((status) => status !== "200" && status !== "429");
  if (unexpected.length > 0) problems.push(`statuses other than 200 and 429: ${unexpected.join(", ")}`);
  if (!statusCounts[200]) problems.push("no request answered 200 during the load");
  if (result.errors > 0) problems.push(`${result.errors} connection errors (resets or timeouts)`);
  if (recoveredMs === undefined) problems.push("the server did not answer 200 within 60 s after the load");
  // Through the edge one URL costs the function one invocation per s-maxage (the refresh), plus the
  // miss that stored it (decision 027); the warm-up request made that miss before counting began.
  if (stack && !values.origin) {
    const sMaxAgeS = readConfig().edgeCache.sMaxAgeS;
    const allowed = sMaxAgeS > 0 ? Math.ceil(result.duration / sMaxAgeS) + 1 : Number.POSITIVE_INFINITY;
    if (invocations > allowed)
      problems.push(
        `${invocations} function invocations through the edge, more than ${allowed} (one per ${sMaxAgeS} s s-maxage)`,
      );
    if (statusCounts[429]) problems.push(`${statusCounts[429]} answers 429 through the edge: readers were turned away`);
  }
  for (const problem of problems) console.error(`load: FAILED: ${problem}`);
  failed = problems.length > 0;
  if (!failed)
    console.log(
      `load: OK (${stack && !values.origin ? "only 200 through the edge, within one invocation per s-maxage" : "only 200 and 429"}, no resets, normal answers afterwards)`,
    );
  if (values.json) await writeFile(values.json, `${JSON.stringify({ ...report, ok: !failed }, null, 2)}\n`);
} catch (error) {
  console.error(`load: ${(error as Error).message}`);
  failed = true;
} finally {
  await stack?.close();
}
process.exit(failed ? 1 : 0);
