// `npm run bench`: every way of serving the catalog, side by side, at 2,000, 20,000 and 100,000 bikes.
// Each variant has its own server (so the peak RSS of its function process is its own), all servers
// are started fresh for each size, and runs are interleaved: run 1 of every variant, then run 2 in a
// rotated order, and so on, so machine noise lands on all of them alike. Writes
// bench/results/<date>.json, bench/results/<date>.svg and BENCHMARKS.md.
//
// Usage: npm run bench -- [--runs N] [--sizes 2000,20000,100000] [--no-browser] [--out DIR] [--help]
//        npm run bench -- --report bench/results/DATE.json   (re-renders BENCHMARKS.md and the chart)
//
// The parts, one job each, are in bench/: plan.ts (what is measured, how often),
// processes.ts (servers, DynamoDB, /proc), run.ts (the run loop), output.ts with report.ts and
// chart.ts (JSON, BENCHMARKS.md, SVG); result.ts is the shape of the figures they pass along.
import { realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ChromiumMissing } from "../harness/chromium";
import { ROOT } from "../harness/stack";
import { readResult, shownPath, writeOutputs, writeReport } from "./output";
import { parseBenchArgs, USAGE, UsageError } from "./plan";
import { runBench } from "./run";

async function main(): Promise<void> {
  let options: ReturnType<typeof parseBenchArgs>;
  try {
    options = parseBenchArgs(process.argv.slice(2), ROOT);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  if (options.report) {
    const json = path.resolve(options.report);
    const files = await writeReport(await readResult(json), json);
    console.log(`bench: wrote ${files.join(", ")} from ${shownPath(json)}`);
    return;
  }
  const started = performance.now();
  const { out } = options;
  const result = await runBench(
    options,
    (line) => console.error(`bench: ${line}`),
    async (soFar) => {
      await writeOutputs(soFar, started, out);
    },
  );
  const files = await writeOutputs(result, started, out);
  console.log(`bench: done in ${(result.durationS / 60).toFixed(1)} min; wrote ${files.join(", ")}`);
}

/** Whether this file is the program (`npm run bench`), not a module someone imported. */
function isProgram(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? "")).href;
  } catch {
    return false; // argv[1] is no file: `node -e`, a REPL
  }
}

// Importing this file never starts a benchmark.
if (isProgram()) {
  main().catch((error: unknown) => {
    if (error instanceof ChromiumMissing) {
      console.error(`bench: ${error.message} (or run it with --no-browser)`);
      process.exit(1);
    }
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
