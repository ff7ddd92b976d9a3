// `npm run perf:budget`: where the default work budget stops /bikes (HTML, identity as CloudFront
// asks for it) and /api/bikes (NDJSON) on a large table, and whether following "Next bikes →" / the
// final line's cursor to the end reads every seeded bike exactly once. Repeats the whole chain
// `--runs` times: bikes and bytes per response should be the same each time; durations are reported
// as median (min–max). Exits 1 when a chain repeats, skips or loops.
// Usage: npm run perf:budget -- [--bikes N] [--runs N] [--server lambda|next] [--url URL] [--json FILE]
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { measure, type Summary, summarize } from "@firstbyte/ttfb";
import { startStack } from "../harness/stack";
import { readConfig } from "../lib/config";
import { parseWholeNumber } from "../lib/whole-number";
import { generateBike } from "../seed/bike-generator";
import {
  type ChainFormat,
  type ChainStep,
  coverage,
  coverageProblems,
  readHtmlStep,
  readNdjsonStep,
} from "./budget-chain";

const USAGE =
  "usage: npm run perf:budget -- [--bikes N] [--runs N] [--server lambda|next] [--url URL] [--json FILE]\n" +
  "  --bikes  bikes to seed (default 20000); with --url, required: the bikes the running table holds\n" +
  "           (npm start seeds 2000)\n" +
  "  --url    measure a running server (npm start, a deployed stage) instead of starting one";

function usageError(message: string): never {
  console.error(`perf:budget: ${message}\n${USAGE}`);
  process.exit(2);
}

let values: { bikes?: string; runs: string; server?: string; url?: string; json?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      bikes: { type: "string" },
      runs: { type: "string", default: "3" },
      server: { type: "string" },
      url: { type: "string" },
      json: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  usageError((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
function wholeArg(text: string, name: string): number {
  const result = parseWholeNumber(text, { min: 1 });
  return result.ok ? result.value : usageError(`--${name} ${result.problem}`);
}
if (values.url !== undefined) {
  if (!URL.canParse(values.url)) usageError(`--url must be a URL, got "${values.url}"`);
  // Without the table's size every bike it does not hold would count as "never read".
  if (values.bikes === undefined) usageError("--url needs --bikes N, the bikes the running table holds");
  if (values.server !== undefined) usageError("--server starts a server, so it does not go with --url");
}
const bikes = wholeArg(values.bikes ?? "20000", "bikes");
const runs = wholeArg(values.runs, "runs");
const server = values.server ?? "lambda";
if (server !== "lambda" && server !== "next") usageError(`--server must be lambda or next, got "${server}"`);

const ROUTES: Record<ChainFormat, string> = { html: "/bikes", ndjson: "/api/bikes" };
const READERS: Record<ChainFormat, (body: string, url: string) => ChainStep> = {
  html: readHtmlStep,
  ndjson: readNdjsonStep,
};

interface StepResult {
  bikes: number;
  /** Body bytes on the wire (identity: as sent). */
  bytes: number;
  stoppedBy: string | undefined;
  ttfbMs: number;
  totalMs: number;
}

/** Follows one chain from the route's default URL to its end; throws on a failure, a loop or a wrong count. */
async function followChain(base: string, format: ChainFormat): Promise<{ steps: ChainStep[]; results: StepResult[] }> {
  const steps: ChainStep[] = [];
  const results: StepResult[] = [];
  const visited = new Set<string>();
  for (let url: string | undefined = `${base}${ROUTES[format]}`; url !== undefined; ) {
    if (visited.has(url)) throw new Error(`${url}: the chain comes back to a URL it already read`);
    visited.add(url);
    const measured = await measure(url, { keepBody: true, timeoutMs: 120_000 });
    if (measured.status !== 200) throw new Error(`${url}: status ${measured.status}, expected 200`);
    const step = READERS[format](measured.body ?? "", url);
    if (step.count !== undefined && step.count !== step.ids.length)
      throw new Error(`${url}: says ${step.count} bikes but holds ${step.ids.length}`);
    steps.push(step);
    results.push({
      bikes: step.ids.length,
      bytes: measured.bytes,
      stoppedBy: step.stoppedBy,
      ttfbMs: measured.ttfbMs,
      totalMs: measured.totalMs,
    });
    process.stderr.write(`\r${format}: response ${steps.length}, ${step.ids.length} bikes   `);
    url = step.next;
  }
  return { steps, results };
}

const stack =
  values.url === undefined
    ? await startStack({
        port: 0,
        persist: false,
        seedCount: bikes,
        server,
        lambda: { log: () => {} }, // one line per invocation would bury the progress
        log: (line) => console.error(line),
      })
    : undefined;
const base = (values.url ?? stack?.url ?? "").replace(/\/$/, "");
const expected = Array.from({ length: bikes }, (_, index) => generateBike(index).id);
const chains: Record<ChainFormat, StepResult[][]> = { html: [], ndjson: [] };
const problems: Record<ChainFormat, string[]> = { html: [], ndjson: [] };
try {
  // Warm-up: the first request of a fresh function pays its cold start and opens connections.
  for (const format of ["html", "ndjson"] as const) await measure(`${base}${ROUTES[format]}?limit=25`);
  for (let run = 1; run <= runs; run++) {
    for (const format of ["html", "ndjson"] as const) {
      const { steps, results } = await followChain(base, format);
      process.stderr.write("\n");
      chains[format].push(results);
      for (const problem of coverageProblems(coverage(steps, expected)))
        problems[format].push(`run ${run}: ${problem}`);
    }
  }
} catch (error) {
  console.error(`\nperf:budget: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stack?.close();
}
if (process.exitCode === 1) process.exit(1);

const number = (value: number) => value.toLocaleString("en-US");
const range = (s: Summary, digits = 0) =>
  s.min === s.max
    ? s.median.toFixed(digits)
    : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
// Bytes vary by a few between runs: the closing line prints the server time.
const spread = (values: number[]) => {
  const s = summarize(values);
  return s.min === s.max ? number(s.median) : `${number(s.median)} (${number(s.min)}–${number(s.max)})`;
};
const same = (values: string[]) => (new Set(values).size === 1 ? (values[0] ?? "") : `differs: ${values.join(" / ")}`);

const budget = readConfig().budget;
console.log(
  `\nDefault work budget${values.url ? " (this machine's config; the server may differ)" : ""}: ${number(budget.bytes)} bytes, ${number(budget.ms)} ms, ${number(budget.scanRequests)} Scan requests`,
);
console.log(
  `${number(bikes)} bikes, ${values.url ?? (server === "lambda" ? "OpenNext bundle behind lambda-url (RESPONSE_STREAM)" : "next start")}, identity encoding, ${runs} runs of each chain; durations median (min–max), ms`,
);
for (const format of ["html", "ndjson"] as const) {
  const byRun = chains[format];
  const responses = Math.max(...byRun.map((results) => results.length));
  console.log(`\n${ROUTES[format]} (${same(byRun.map((results) => String(results.length)))} responses)`);
  console.log("| response | bikes | bytes | stopped by | TTFB | duration |");
  console.log("|---:|---:|---:|---|---:|---:|");
  for (let index = 0; index < responses; index++) {
    const at = byRun.map((results) => results[index]).filter((result) => result !== undefined);
    console.log(
      `| ${index + 1} | ${same(at.map((r) => number(r.bikes)))} | ${spread(at.map((r) => r.bytes))} | ${same(at.map((r) => r.stoppedBy ?? "end of table"))} | ${range(summarize(at.map((r) => r.ttfbMs)), 1)} | ${range(summarize(at.map((r) => r.totalMs)))} |`,
    );
  }
  console.log(
    `every one of the ${number(bikes)} bikes read exactly once in each run: ${problems[format].length === 0 ? "yes" : "NO"}`,
  );
}
if (values.json) {
  try {
    await writeFile(
      values.json,
      `${JSON.stringify({ date: new Date().toISOString(), bikes, runs, budget, chains, problems }, null, 2)}\n`,
    );
  } catch (error) {
    console.error(`perf:budget: cannot write --json ${values.json}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
const failed = (["html", "ndjson"] as const).flatMap((format) =>
  problems[format].map((problem) => `${ROUTES[format]}, ${problem}`),
);
for (const problem of failed) console.error(`perf:budget: ${problem}`);
if (failed.length > 0) process.exit(1);
