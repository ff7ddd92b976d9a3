// `npm run perf:ttfb`: TTFB and time to the first row of /bikes (streamed) against /bikes/buffered, at
// 2,000 and 20,000 bikes, on the local stack. Runs the two side by side (A, B, then B, A, …) so
// machine noise hits both alike; reports medians with min–max and the buffered/streamed ratio.
// Usage: npm run perf:ttfb -- [--runs N] [--sizes 2000,20000] [--server lambda|next] [--json FILE]
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { compare, type Summary, summarize } from "@firstbyte/ttfb";
import { loadBikes, startStack } from "../harness/stack";
import { readConfig } from "../lib/config";
import { parseWholeNumber } from "../lib/whole-number";

const MARKERS = { shell: 'id="catalog"', firstRow: 'data-bike-id="' };

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    sizes: { type: "string", default: "2000,20000" },
    server: { type: "string", default: "lambda" },
    json: { type: "string" },
  },
});
const USAGE = "usage: npm run perf:ttfb -- [--runs N] [--sizes 2000,20000] [--server lambda|next] [--json FILE]";
function usageError(message: string): never {
  console.error(`perf:ttfb: ${message}\n${USAGE}`);
  process.exit(2);
}
function wholeArg(text: string, name: string): number {
  const result = parseWholeNumber(text, { min: 1 });
  return result.ok ? result.value : usageError(`--${name} ${result.problem}`);
}
const server = values.server;
if (server !== "lambda" && server !== "next") usageError(`--server must be lambda or next, got "${server}"`);
const runs = wholeArg(values.runs, "runs");
const sizes = values.sizes.split(",").map((size) => wholeArg(size, "sizes"));

const fmt = (s: Summary, digits = 0) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

const stack = await startStack({
  port: 0,
  persist: false,
  seedCount: sizes[0]!,
  server,
  lambda: { log: () => {} }, // one line per invocation would bury the progress
  log: (line) => console.error(line),
});
const results: Array<Record<string, unknown>> = [];
try {
  let loaded = sizes[0]!;
  for (const size of sizes) {
    if (size > loaded) {
      await loadBikes({ ...readConfig(), endpoint: stack.dynamodbEndpoint }, size - loaded, loaded, (line) =>
        console.error(line),
      );
      loaded = size;
    }
    // Warm-up: the first request of a fresh server compiles routes and opens connections.
    await compare(`${stack.url}/bikes`, `${stack.url}/bikes/buffered`, 1, { markers: MARKERS, timeoutMs: 120_000 });
    const result = await compare(`${stack.url}/bikes`, `${stack.url}/bikes/buffered`, runs, {
      markers: MARKERS,
      timeoutMs: 120_000,
      onRun: (pair, side) =>
        process.stderr.write(`\r${size} bikes: run ${pair + 1}/${runs} ${side === "a" ? "streamed" : "buffered"}   `),
    });
    process.stderr.write("\n");
    const row = {
      bikes: size,
      runs,
      streamed: {
        ttfbMs: summarize(result.a.map((m) => m.ttfbMs)),
        firstRowMs: summarize(result.a.map((m) => m.markers.firstRow ?? NaN)),
        totalMs: summarize(result.a.map((m) => m.totalMs)),
        bytes: summarize(result.a.map((m) => m.bytes)),
      },
      buffered: {
        ttfbMs: summarize(result.b.map((m) => m.ttfbMs)),
        firstRowMs: summarize(result.b.map((m) => m.markers.firstRow ?? NaN)),
        totalMs: summarize(result.b.map((m) => m.totalMs)),
        bytes: summarize(result.b.map((m) => m.bytes)),
      },
      bufferedOverStreamed: {
        ttfb: summarize(result.ratios.ttfb),
        firstRow: summarize(result.ratios.markers.firstRow ?? []),
        total: summarize(result.ratios.total),
      },
    };
    results.push(row);
  }
} finally {
  await stack.close();
}

const serverName = server === "lambda" ? "OpenNext bundle behind lambda-url (RESPONSE_STREAM)" : "next start";
console.log(
  `\n/bikes (streamed) vs /bikes/buffered — ${serverName}, embedded dynalite, medians of ${runs} paired runs (min–max), ms`,
);
console.log(
  "| bikes | streamed TTFB | buffered TTFB | TTFB ratio | streamed first row | buffered first row | first-row ratio | streamed total | buffered total |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const row of results as Array<{
  bikes: number;
  streamed: Record<string, Summary>;
  buffered: Record<string, Summary>;
  bufferedOverStreamed: Record<string, Summary>;
}>) {
  console.log(
    `| ${row.bikes.toLocaleString("en-US")} | ${fmt(row.streamed.ttfbMs!, 1)} | ${fmt(row.buffered.ttfbMs!)} | ${fmt(row.bufferedOverStreamed.ttfb!, 1)}× | ${fmt(row.streamed.firstRowMs!, 1)} | ${fmt(row.buffered.firstRowMs!)} | ${fmt(row.bufferedOverStreamed.firstRow!, 1)}× | ${fmt(row.streamed.totalMs!)} | ${fmt(row.buffered.totalMs!)} |`,
  );
}
if (values.json)
  await writeFile(values.json, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
