// What `npm run bench` measures: the variants (targets), how many runs each gets at each size, which
// of them the browser loads, and the command line that picks the sizes and runs.
import path from "node:path";
import { parseArgs } from "node:util";

export type Bandwidth = "aws" | "off";

export interface Target {
  id: string;
  label: string;
  /** Request path for the HTTP timings. */
  path: string;
  /** Page the browser loads, when it differs (the NDJSON variant renders /api/bikes in /bikes/client). */
  browserPath: string;
  server: "streaming-bundle" | "buffered-bundle" | "next-start";
  bandwidth?: Bandwidth;
  /** Function memory (Lambda's setting; the V8 heap is capped at 90% of it). 2048 MB as deployed. */
  memoryMb?: number;
  /** Marker of the first item on the wire; undefined for a compressed body, where none can be seen. */
  firstItem?: string;
  /** What the warm-up request asks for; `${path}?limit=1` by default. */
  warmUpPath?: string;
  /** Environment of the server on top of the bench's own (lib/config.ts settings, e.g. BIKES_FIRST_PAGE_WAIT_MS). */
  env?: Record<string, string>;
  /** Measured only when `--targets` names it: an alternative kept for side-by-side trials, not the default run. */
  optIn?: boolean;
  /**
   * Through the local edge cache (nginx, harness/edge-cache.ts) in front of the function. With a
   * warm-up of the measured path itself, every measured request is a hit: what a reader of a stored
   * page gets, with the function doing nothing (decision 029).
   */
  edge?: boolean;
}

const ROW = 'data-bike-id="';
/** The three ways of sending the catalog, each measured with the bandwidth model ("aws") and without ("off"). */
const CATALOG_VARIANTS: Target[] = [
  {
    id: "streamed",
    label: "/bikes streamed · lambda-url",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    firstItem: ROW,
  },
  {
    id: "buffered",
    label: "/bikes/buffered · lambda-url",
    path: "/bikes/buffered",
    browserPath: "/bikes/buffered",
    server: "streaming-bundle",
    firstItem: ROW,
  },
  {
    id: "ndjson",
    label: "/api/bikes NDJSON · client page · lambda-url",
    path: "/api/bikes",
    browserPath: "/bikes/client",
    server: "streaming-bundle",
    firstItem: '"items":[{',
  },
];

export const TARGETS: Target[] = [
  ...(["aws", "off"] as const).flatMap((bandwidth) => CATALOG_VARIANTS.map((variant) => ({ ...variant, bandwidth }))),
  // The page as served by default: it stops at the default work budget (6,000,000 bytes, 20 s, 100
  // Scan requests; lib/config.ts), which the bench's servers raise for the whole-page rows above.
  {
    id: "streamed-budget",
    label: "/bikes streamed · lambda-url · default work budget",
    path: "/bikes?budgetBytes=6000000&budgetMs=20000&budgetScans=100",
    browserPath: "/bikes?budgetBytes=6000000&budgetMs=20000&budgetScans=100",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
  },
  // The same page from a 256 MB function (V8 heap capped at 230 MB). The page's live heap grows
  // ~0.8 KB a bike until the response ends (React's Flight client keeps every row of the response;
  // decision 007), ~77 MB at 100,000 bikes: this shows whether the largest size still fits.
  {
    id: "streamed-256mb",
    label: "/bikes streamed · lambda-url · 256 MB function",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "off",
    memoryMb: 256,
    firstItem: ROW,
  },
  // The edge: the same page served from the local edge cache's store (a hit), stored by the warm-up.
  // Every other row times the function itself.
  {
    id: "streamed-edge-hit",
    label: "/bikes streamed · edge cache hit (nginx in front of lambda-url)",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
    edge: true,
    warmUpPath: "/bikes",
    // Stored for the whole bench, so no measured request meets an expired copy.
    env: { BIKES_CACHE_S_MAXAGE: "86400" },
  },
  // The export downloads: whole by design (no work budget, no parameters), so the warm-up is a whole
  // export too. Their time is mostly transfer (under the 2 MiB/s model 100,000 bikes take ~15 s);
  // what they show is the function's peak RSS, which must stay flat as the table grows (the
  // pipeline's backpressure), hence no bandwidth model and no browser.
  {
    id: "export-csv",
    label: "/api/bikes/export.csv · lambda-url",
    path: "/api/bikes/export.csv",
    browserPath: "/api/bikes/export.csv",
    server: "streaming-bundle",
    bandwidth: "off",
    firstItem: "\r\nbike-",
    warmUpPath: "/api/bikes/export.csv",
  },
  {
    id: "export-csv-gz",
    label: "/api/bikes/export.csv.gz · lambda-url",
    path: "/api/bikes/export.csv.gz",
    browserPath: "/api/bikes/export.csv.gz",
    server: "streaming-bundle",
    bandwidth: "off",
    warmUpPath: "/api/bikes/export.csv.gz",
  },
  {
    id: "next-start",
    label: "/bikes streamed · next start (no Lambda)",
    path: "/bikes",
    browserPath: "/bikes",
    server: "next-start",
    firstItem: ROW,
  },
  {
    id: "opennext-buffered",
    label: "/bikes · OpenNext default buffered wrapper",
    path: "/bikes",
    browserPath: "/bikes",
    server: "buffered-bundle",
    firstItem: ROW,
  },
  // The alternatives decision 021 weighed against the default bounded wait (BIKES_FIRST_PAGE_WAIT_MS,
  // 50 ms): none, the first Scan page always streams into its Suspense boundary after the shell;
  // a shorter and a longer wait.
  {
    id: "streamed-no-wait",
    label: "/bikes streamed · lambda-url · first page never in the shell",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
    env: { BIKES_FIRST_PAGE_WAIT_MS: "0" },
    optIn: true,
  },
  {
    id: "streamed-wait-20",
    label: "/bikes streamed · lambda-url · first page in the shell if within 20 ms",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
    env: { BIKES_FIRST_PAGE_WAIT_MS: "20" },
    optIn: true,
  },
  {
    id: "streamed-wait-100",
    label: "/bikes streamed · lambda-url · first page in the shell if within 100 ms",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
    env: { BIKES_FIRST_PAGE_WAIT_MS: "100" },
    optIn: true,
  },
];

/** The variants a run measures: those `--targets` names, else every one but the opt-in ones. */
export const selectTargets = (keys?: string[]): Target[] =>
  keys ? TARGETS.filter((t) => keys.includes(targetKey(t))) : TARGETS.filter((t) => !t.optIn);

export const targetKey = (t: Target) => (t.bandwidth ? `${t.id}@${t.bandwidth}` : t.id);

/**
 * Runs per target and size. The whole bench must finish within 20 minutes on the 2-core machine, and
 * at 100,000 bikes every streamed /bikes variant gets the full runs (the targets are read there), as
 * does the NDJSON stream without the bandwidth model. The rest run once there, because their time
 * is not the code's: the buffered page's first byte is its whole render (11–12 s, never close to a
 * race) and under the 2 MiB/s model its 55 MB body adds ~24 s of fixed-rate transfer; the NDJSON
 * stream (50 MB) takes ~21 s under the model, ~14 s of it the same; and a 57 MB response cannot
 * pass a buffered Lambda's 6 MB limit (the same 502 every time). The report states n for every cell.
 */
const ONCE_AT_100K = new Set(["buffered@aws", "buffered@off", "ndjson@aws", "opennext-buffered"]);
export function plannedRuns(target: Target, size: number, runs: number): number {
  if (size < 100_000) return runs;
  return ONCE_AT_100K.has(targetKey(target)) ? 1 : runs;
}

/** The browser loads pages at these sizes only (a 57 MB page is not a page anyone opens). */
const BROWSER_MAX_SIZE = 20_000;
/**
 * Browser runs: `runs` at 20,000 bikes (~10 s each). At 2,000 bikes (~2 s each) almost twice as
 * many, because "first row visible" there is a race: React shows the first Scan page with the shell
 * when it lands before the browser's first frame, and 300 ms after that frame when it does not
 * (decision 006), so a median of five can flip between the two.
 */
export const browserRuns = (size: number, runs: number) => (size > 2_000 ? runs : 2 * runs - 1);
export const browserTargets = (size: number, targets: Target[] = TARGETS) =>
  targets.filter(
    (t) => t.bandwidth !== "off" && size <= BROWSER_MAX_SIZE && !(t.server === "buffered-bundle" && size > 2_000),
  );

export interface BenchOptions {
  runs: number;
  /** Increasing: the table only grows between sizes. */
  sizes: number[];
  browser: boolean;
  /** Where the JSON and SVG go. */
  out: string;
  /** A saved result to re-render BENCHMARKS.md and its chart from, running nothing. */
  report?: string;
  /** The variants to run, by key (`export-csv@off`); every one when undefined. */
  targets?: string[];
}

export const USAGE = [
  "usage: npm run bench -- [--runs N (≥1, default 5)] [--sizes 2000,20000,100000 (increasing)] [--no-browser] [--out DIR (default bench/results)] [--targets KEY,… (default: all but the opt-in ones)]",
  `       --targets runs only these variants: ${TARGETS.map(targetKey).join(", ")}`,
  "       (without --targets every variant runs but the opt-in ones: streamed-no-wait, streamed-wait-20, streamed-wait-100)",
  "       npm run bench -- --report bench/results/DATE.json   (re-render BENCHMARKS.md and the chart from a saved run)",
].join("\n");

/** A command line the bench cannot run; its message is one line that says why, then the usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The bench's options from its command line; undefined for --help. */
export function parseBenchArgs(args: string[], root: string): BenchOptions | undefined {
  let values: {
    runs: string;
    sizes: string;
    browser: boolean;
    "no-browser": boolean;
    out: string;
    report?: string;
    targets?: string;
    help: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        runs: { type: "string", default: "5" },
        sizes: { type: "string", default: "2000,20000,100000" },
        browser: { type: "boolean", default: true },
        "no-browser": { type: "boolean", default: false },
        out: { type: "string", default: path.join(root, "bench", "results") },
        report: { type: "string" },
        targets: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) return undefined;
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number ≥ 1\n${USAGE}`);
  const sizes = values.sizes.split(",").map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1) || sizes.some((s, i) => i > 0 && s <= sizes[i - 1]!))
    throw new UsageError(`--sizes must be whole numbers ≥ 1 in increasing order\n${USAGE}`);
  let targets: string[] | undefined;
  if (values.targets !== undefined) {
    const known = TARGETS.map(targetKey);
    targets = values.targets.split(",").map((key) => key.trim());
    const unknown = targets.filter((key) => !known.includes(key));
    if (unknown.length > 0 || targets.length === 0)
      throw new UsageError(`--targets: unknown variant ${JSON.stringify(unknown.join(","))}\n${USAGE}`);
  }
  return {
    runs,
    sizes,
    browser: values.browser && !values["no-browser"],
    out: values.out,
    report: values.report,
    ...(targets ? { targets } : {}),
  };
}
