import { type CliOptions, parseCliArgs, USAGE } from "./args.ts";
import { MeasureError, UsageError } from "./errors.ts";
import type { Measurement, MeasureOptions } from "./measure.ts";
import { formatComparison, formatSingle, statusNotes, summarizeRuns } from "./report.ts";
import { compare, measureRuns } from "./runs.ts";

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Exit codes: 0 done (even with non-2xx answers, which are noted), 1 a request failed, 2 bad arguments. */
export const EXIT_OK = 0;
export const EXIT_REQUEST_FAILED = 1;
export const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

function progressLine(run: number, of: number, side: string, m: Measurement): string {
  return `run ${run}/${of}${side}: status ${m.status}, ttfb ${m.ttfbMs.toFixed(1)} ms, total ${m.totalMs.toFixed(1)} ms\n`;
}

async function execute(options: CliOptions, io: CliIo, signal: AbortSignal): Promise<void> {
  const measureOptions: MeasureOptions = {
    headers: options.headers,
    markers: options.markers,
    timeoutMs: options.timeoutMs,
    signal,
  };
  const markerNames = Object.keys(options.markers);

  if (options.vs === undefined) {
    const runs = await measureRuns(options.url, options.runs, {
      ...measureOptions,
      onRun: (i, m) => io.stderr.write(progressLine(i + 1, options.runs, "", m)),
    });
    for (const note of statusNotes(options.url, runs)) io.stderr.write(`${note}\n`);
    if (options.json) {
      const report = { url: options.url, summary: summarizeRuns(runs, markerNames), runs };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout.write(formatSingle(options.url, runs, markerNames));
    }
    return;
  }

  const result = await compare(options.url, options.vs, options.runs, {
    ...measureOptions,
    onRun: (pair, side, m) => io.stderr.write(progressLine(pair + 1, options.runs, ` ${side.toUpperCase()}`, m)),
  });
  for (const note of [...statusNotes(options.url, result.a), ...statusNotes(options.vs, result.b)]) {
    io.stderr.write(`${note}\n`);
  }
  if (options.json) {
    const report = {
      a: { url: options.url, summary: summarizeRuns(result.a, markerNames), runs: result.a },
      b: { url: options.vs, summary: summarizeRuns(result.b, markerNames), runs: result.b },
      order: result.order,
      ratios: result.ratios,
    };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout.write(formatComparison(options.url, options.vs, result.a, result.b, markerNames));
  }
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    options = parsed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`ttfb: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    await execute(options, io, controller.signal);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof MeasureError) {
      io.stderr.write(`ttfb: ${error.message}\n`);
      return error.reason === "aborted" ? EXIT_INTERRUPTED : EXIT_REQUEST_FAILED;
    }
    io.stderr.write(`ttfb: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_REQUEST_FAILED;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
