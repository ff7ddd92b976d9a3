// Turns a bench result into BENCHMARKS.md: how to reproduce it, the machine, the targets met or
// missed, the hand-written analysis carried over from the previous file, and a table per size.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Summary } from "@firstbyte/ttfb";
import { ROOT } from "../harness/stack";
import type { BenchResult, SizeResult } from "./result";

const ms = (s: Summary | undefined, digits = 0) =>
  s ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : "—";
const mb = (bytes: number | undefined) =>
  bytes === undefined ? "—" : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;
const n = (value: number) => value.toLocaleString("en-US");

// ---------------------------------------------------------------------------------------------
// Targets from the issue, evaluated on the figures

export interface TargetCheck {
  name: string;
  value: string;
  met: boolean | undefined;
}

export function checkTargets(result: BenchResult): TargetCheck[] {
  const at = (bikes: number) => result.sizes.find((s) => s.bikes === bikes);
  const small = at(2_000);
  const large = at(100_000);
  const checks: TargetCheck[] = [];
  /** A function's peak RSS may grow at most `limitMb` from 2,000 to 100,000 bikes: memory must not grow with the response. */
  const rssGrowth = (key: string, limitMb: number, what: string): TargetCheck => {
    const a = small?.peakRssMb[key];
    const b = large?.peakRssMb[key];
    return {
      name: `Function RSS growth at most ${limitMb} MB from 2,000 to 100,000 bikes (${what})`,
      value: a !== undefined && b !== undefined ? `${a} MB → ${b} MB (+${b - a} MB)` : "not measured",
      met: a !== undefined && b !== undefined ? b - a <= limitMb : undefined,
    };
  };

  for (const bandwidth of ["off", "aws"]) {
    const a = small?.http[`streamed@${bandwidth}`]?.ttfbMs;
    const b = large?.http[`streamed@${bandwidth}`]?.ttfbMs;
    checks.push({
      name: `Streamed TTFB flat from 2,000 to 100,000 bikes (within 1.5×), bandwidth model ${bandwidth}`,
      value:
        a !== undefined && b !== undefined
          ? `${a.median.toFixed(1)} ms → ${b.median.toFixed(1)} ms (${(b.median / a.median).toFixed(2)}×; n ${a.n} and ${b.n})`
          : "not measured",
      met: a !== undefined && b !== undefined ? b.median / a.median <= 1.5 : undefined,
    });
  }
  {
    const s = small?.http["streamed@aws"]?.ttfbMs?.median;
    const b = small?.http["buffered@aws"]?.ttfbMs?.median;
    checks.push({
      name: "Buffered/streamed TTFB at 2,000 bikes at least 10× (published reference: 6.9×)",
      value:
        s !== undefined && b !== undefined
          ? `${b.toFixed(0)} ms / ${s.toFixed(1)} ms = ${(b / s).toFixed(1)}×`
          : "not measured",
      met: s !== undefined && b !== undefined ? b / s >= 10 : undefined,
    });
  }
  {
    const v = small?.browser["streamed@aws"]?.firstRowVisible?.median;
    checks.push({
      name: "First row visible within 200 ms of navigation start at 2,000 bikes (Chromium)",
      value: v !== undefined ? `${v.toFixed(0)} ms` : "not measured",
      met: v !== undefined ? v <= 200 : undefined,
    });
  }
  for (const bandwidth of ["aws", "off"]) {
    checks.push(rssGrowth(`streamed@${bandwidth}`, 50, `/bikes, bandwidth model ${bandwidth}`));
  }
  for (const [key, path] of [
    ["export-csv@off", "/api/bikes/export.csv"],
    ["export-csv-gz@off", "/api/bikes/export.csv.gz"],
  ] as const) {
    // A result from before the export had these variants: nothing to check.
    if (!result.targets.some((target) => target.key === key)) continue;
    checks.push(rssGrowth(key, 30, `${path}, a stream pipeline with backpressure`));
  }
  {
    const a = small?.peakRssMb["streamed-256mb@off"];
    const b = large?.peakRssMb["streamed-256mb@off"];
    const done = large?.http["streamed-256mb@off"];
    const ok = done !== undefined && done.status.length > 0 && done.status.every((status) => status === 200);
    // Not one of the issue's targets: whether the smallest function this page is deployed with in
    // the analysis still serves the largest size (the page's live heap grows ~0.8 KB a bike).
    checks.push({
      name: "Also checked: a 256 MB function (V8 heap capped at 230 MB) serves the 100,000-bike page whole",
      value:
        a !== undefined && b !== undefined
          ? `${ok ? `200 every run (n ${done.n})` : "failed"}; peak RSS ${a} MB → ${b} MB`
          : "not measured",
      met: a !== undefined && b !== undefined ? ok : undefined,
    });
  }
  {
    const v = small?.http["streamed@aws"]?.ttfbMs;
    checks.push({
      name: "Warm /bikes TTFB at 2,000 bikes at most 15 ms (median; a trivial handler's floor is 3–5 ms)",
      value: v !== undefined ? `${ms(v, 1)} ms (n ${v.n})` : "not measured",
      met: v !== undefined ? v.median <= 15 : undefined,
    });
  }
  {
    const middle = at(20_000);
    const s = middle?.browser["streamed@aws"]?.lastRowVisible?.median;
    const b = middle?.browser["buffered@aws"]?.lastRowVisible?.median;
    checks.push({
      name: "Last row visible at 20,000 bikes: streamed at most 0.8 × buffered (Chromium)",
      value:
        s !== undefined && b !== undefined
          ? `${s.toFixed(0)} ms / ${b.toFixed(0)} ms = ${(s / b).toFixed(2)}×`
          : "not measured",
      met: s !== undefined && b !== undefined ? s / b <= 0.8 : undefined,
    });
  }
  {
    // Only for results that measured cold starts (older ones have none; their report stays as it was).
    const cold = result.sizes.find((size) => size.cold)?.cold;
    const streamed = cold?.["streamed@aws"]?.ttfbMs;
    if (cold) {
      checks.push({
        name: "Cold start: /bikes TTFB from a fresh execution environment at most 250 ms (median)",
        value: streamed
          ? `${streamed.median.toFixed(0)} ms (${streamed.min.toFixed(0)}–${streamed.max.toFixed(0)}, n ${cold["streamed@aws"]?.n}); floor ${ms(cold.floor?.ttfbMs)} ms`
          : "not measured",
        met: streamed ? streamed.median <= 250 : undefined,
      });
    }
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

const ANALYSIS_START = "<!-- analysis:start (kept by npm run bench) -->";
const ANALYSIS_END = "<!-- analysis:end -->";

/** The hand-written analysis section of the current BENCHMARKS.md, carried over into the new one. */
function keptAnalysis(): string {
  const file = path.join(ROOT, "BENCHMARKS.md");
  if (!existsSync(file)) return "_No analysis written yet._";
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(ANALYSIS_START);
  const end = text.indexOf(ANALYSIS_END);
  return start >= 0 && end > start
    ? text.slice(start + ANALYSIS_START.length, end).trim()
    : "_No analysis written yet._";
}

function httpTable(result: BenchResult, size: SizeResult): string {
  const rows = result.targets.map((t) => {
    const h = size.http[t.key];
    if (!h) return undefined;
    const failed = h.status.filter((status) => status !== 200);
    const status = failed.length > 0 ? ` **${failed.length}× ${[...new Set(failed)].join("/")}**` : "";
    return `| ${t.label} | ${t.bandwidth ?? "—"} | ${h.n}${status} | ${ms(h.ttfbMs, 1)} | ${ms(h.firstItemMs, 1)} | ${ms(h.totalMs)} | ${mb(h.bytes?.median)} | ${mb(h.brBytes)} | ${size.peakRssMb[t.key] ?? "—"} |`;
  });
  return [
    "| variant | bandwidth model | n | TTFB ms | first item on the wire ms | total ms | bytes (identity) | bytes (br) | peak RSS MB |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.filter(Boolean),
  ].join("\n");
}

function browserTable(result: BenchResult, size: SizeResult): string {
  const rows = result.targets.map((t) => {
    const b = size.browser[t.key];
    if (!b) return undefined;
    return `| ${t.label} | ${b.n} | ${ms(b.responseStart)} | ${ms(b.shellVisible)} | ${ms(b.firstRowVisible)} | ${ms(b.lastRowVisible)} | ${ms(b.hydrated)} |`;
  });
  if (rows.every((row) => row === undefined)) return "";
  return [
    "| variant (bandwidth model aws) | n | response start ms | shell visible ms | first row visible ms | last row visible ms | hydrated ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.filter(Boolean),
  ].join("\n");
}

function coldTable(result: BenchResult, size: SizeResult): string {
  const cold = size.cold;
  if (!cold) return "";
  const label = (key: string) =>
    key === "floor"
      ? "floor: a trivial streaming handler (bench/floor-handler.mjs)"
      : (result.targets.find((t) => t.key === key)?.label ?? key);
  const rows = Object.entries(cold).map(([key, c]) => {
    const failed = c.status.filter((status) => status !== 200);
    const status = failed.length > 0 ? ` **${failed.length}× ${[...new Set(failed)].join("/")}**` : "";
    return `| ${label(key)} | ${c.n}${status} | ${ms(c.ttfbMs)} | ${ms(c.firstItemMs)} | ${ms(c.initMs)} | ${ms(c.runtimeReadyMs)} | ${ms(c.importMs)} | ${ms(c.firstRequestMs)} | ${ms(c.cpuMs)} |`;
  });
  return [
    "| variant | n | cold TTFB ms | first item on the wire ms | Init Duration ms | runtime ready ms | handler import ms | first request ms | function CPU ms to first byte |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

export function renderBenchmarksMarkdown(result: BenchResult, svgPath: string, jsonPath: string): string {
  const checks = checkTargets(result);
  const lines = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench` (`bench/bench.ts`); the analysis section is written by hand and kept across runs.",
    "",
    "## How to reproduce",
    "",
    "```sh",
    "npm ci",
    "npm run bench            # -- --runs 5 --sizes 2000,20000,100000 [--no-browser]",
    "```",
    "",
    "It builds the streaming Lambda bundle (`.open-next`) and, aside, OpenNext's default buffered bundle",
    "(`bench/open-next.buffered.config.ts`), starts an in-memory dynalite, and at each size loads the bikes and",
    "starts one fresh server per variant (so each function process's peak RSS is its own): the streaming",
    "bundle behind `@firstbyte/lambda-url` with the AWS bandwidth model on (6 MiB at full speed, then",
    "2 MiB/s) and again with it off, `next start`, and the buffered bundle behind `lambda-url` in BUFFERED",
    "mode. After one warm-up request each, runs are interleaved (run k of every variant, in an order",
    "rotated by k). Every `lambda-url` runs as a process of its own (its CLI). Before each run the bench",
    "process (the client) collects its garbage and, after a response over 6 MiB, waits until the CPUs are quiet (≤ 15% busy over",
    "250 ms, at most 5 s), so one run's clean-up is not counted in the next one's TTFB. HTTP timings come from `@firstbyte/ttfb` (fresh connection, identity encoding; one more",
    "request with `accept-encoding: br` for the compressed size). Browser timings come from Chromium",
    "through `harness/browser-timeline/timing.ts` (navigation timing, DOM insertion and visibility of the shell, first and last",
    "row, hydration). Peak RSS is VmHWM of the variant's server processes after its runs.",
    "Every cell is a median with min–max over n runs.",
    "",
    "## Machine and versions",
    "",
    `- Run ${result.date}, ${(result.durationS / 60).toFixed(1)} min in all${result.sizes.some((s) => s.durationS !== undefined) ? ` (${result.sizes.map((s) => `${n(s.bikes)} bikes ${((s.durationS ?? 0) / 60).toFixed(1)} min`).join(", ")}; the rest is building and starting)` : ""}.`,
    `- ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGb} GiB, ${result.machine.platform}, Node ${result.machine.node}; load average at start ${result.machine.loadAverage.join(" / ")}.`,
    `- ${Object.entries(result.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}.`,
    `- Raw figures: [${jsonPath}](${jsonPath}); timelines: [${svgPath}](${svgPath}).`,
    "",
    `![Timelines](${svgPath})`,
    "",
    "## Targets",
    "",
    "| target | measured | |",
    "|---|---|---|",
    ...checks.map(
      (c) => `| ${c.name} | ${c.value} | ${c.met === undefined ? "not measured" : c.met ? "met" : "**missed**"} |`,
    ),
    "",
    "## Analysis",
    "",
    ANALYSIS_START,
    keptAnalysis(),
    ANALYSIS_END,
    "",
  ];
  for (const size of result.sizes) {
    lines.push(`## ${n(size.bikes)} bikes`, "", "On the wire:", "", httpTable(result, size), "");
    const cold = coldTable(result, size);
    if (cold)
      lines.push(
        "Cold starts: each run a fresh Function URL, so its first request lands on a new execution environment",
        "(`bench/cold.ts`). Init Duration is lambda-url's, as Lambda reports it (process start to the",
        "runtime's first `/invocation/next`); runtime ready is the floor's Init Duration in the same round,",
        "handler import the rest of it, first request = TTFB − Init Duration; CPU is the function process's",
        "user + system time from its start to the first body byte (/proc), which the machine's load hardly moves.",
        "",
        cold,
        "",
      );
    const browser = browserTable(result, size);
    if (browser) lines.push("In Chromium (from navigation start):", "", browser, "");
  }
  return `${lines.join("\n")}\n`;
}
