import type { Measurement } from "./measure.ts";
import { type Summary, summarize } from "./runs.ts";

/** One row of the report: how to read it from a run, and how to print it. */
interface Metric {
  key: string;
  label: string;
  unit: "ms" | "bytes" | "count";
  read: (m: Measurement) => number | undefined;
}

export function metricsFor(markerNames: readonly string[]): Metric[] {
  return [
    { key: "connectMs", label: "connect", unit: "ms", read: (m) => m.connectMs },
    { key: "ttfbMs", label: "ttfb", unit: "ms", read: (m) => m.ttfbMs },
    { key: "firstBodyByteMs", label: "first body byte", unit: "ms", read: (m) => m.firstBodyByteMs },
    ...markerNames.map(
      (name): Metric => ({ key: `marker:${name}`, label: `marker ${name}`, unit: "ms", read: (m) => m.markers[name] }),
    ),
    { key: "totalMs", label: "total", unit: "ms", read: (m) => m.totalMs },
    { key: "bytes", label: "bytes (wire)", unit: "bytes", read: (m) => m.bytes },
    { key: "decodedBytes", label: "bytes (decoded)", unit: "bytes", read: (m) => m.decodedBytes },
    { key: "chunks", label: "chunks", unit: "count", read: (m) => m.chunks.length },
  ];
}

function present(values: Array<number | undefined>): number[] {
  return values.filter((v): v is number => v !== undefined);
}

/** Summary of every metric over the runs; `null` where no run produced a value (marker never seen). */
export function summarizeRuns(
  runs: readonly Measurement[],
  markerNames: readonly string[],
): Record<string, Summary | null> {
  const out: Record<string, Summary | null> = {};
  for (const metric of metricsFor(markerNames)) {
    const values = present(runs.map(metric.read));
    out[metric.key] = values.length === 0 ? null : summarize(values);
  }
  return out;
}

/** B/A per pair for every metric, skipping pairs where either side lacks a value or A is 0. */
export function pairRatios(a: readonly Measurement[], b: readonly Measurement[], metric: Metric): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const va = metric.read(a[i]!);
    const vb = metric.read(b[i]!);
    if (va !== undefined && vb !== undefined && va !== 0) ratios.push(vb / va);
  }
  return ratios;
}

function formatNumber(value: number, unit: Metric["unit"]): string {
  if (unit === "ms") return value.toFixed(1);
  return Math.round(value).toLocaleString("en-US");
}

function formatCell(values: number[], total: number, unit: Metric["unit"]): string {
  if (values.length === 0) return "not seen";
  const s = summarize(values);
  const suffix = unit === "ms" ? " ms" : "";
  const range = s.min === s.max ? "" : ` (${formatNumber(s.min, unit)}–${formatNumber(s.max, unit)})`;
  const seen = values.length < total ? ` [${values.length}/${total}]` : "";
  return `${formatNumber(s.median, unit)}${suffix}${range}${seen}`;
}

function formatRatio(ratios: number[]): string {
  if (ratios.length === 0) return "–";
  const s = summarize(ratios);
  return `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
}

function statusLine(runs: readonly Measurement[]): string {
  const counts = new Map<number, number>();
  for (const m of runs) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  return [...counts]
    .map(([status, n]) => (n === runs.length ? `status ${status}` : `status ${status} ×${n}`))
    .join(", ");
}

/** Human report for one URL: median and (min–max) of each metric over the runs. */
export function formatSingle(url: string, runs: readonly Measurement[], markerNames: readonly string[]): string {
  const rows = [["", "median (min–max)"]];
  for (const metric of metricsFor(markerNames)) {
    rows.push([metric.label, formatCell(present(runs.map(metric.read)), runs.length, metric.unit)]);
  }
  return `${url}\n${runs.length} run${runs.length === 1 ? "" : "s"}, ${statusLine(runs)}\n\n${table(rows)}\n`;
}

/** Human report for A vs B: both columns and the B/A ratio computed pair by pair. */
export function formatComparison(
  urlA: string,
  urlB: string,
  a: readonly Measurement[],
  b: readonly Measurement[],
  markerNames: readonly string[],
): string {
  const rows = [["", "A median (min–max)", "B median (min–max)", "B/A median (min–max)"]];
  for (const metric of metricsFor(markerNames)) {
    rows.push([
      metric.label,
      formatCell(present(a.map(metric.read)), a.length, metric.unit),
      formatCell(present(b.map(metric.read)), b.length, metric.unit),
      formatRatio(pairRatios(a, b, metric)),
    ]);
  }
  return [
    `A: ${urlA}  (${statusLine(a)})`,
    `B: ${urlB}  (${statusLine(b)})`,
    `${a.length} pair${a.length === 1 ? "" : "s"}, order alternated (A,B then B,A …)`,
    "",
    table(rows),
    "",
  ].join("\n");
}

/** Lines to print when some runs were not 2xx: reported, but worth a second look. */
export function statusNotes(url: string, runs: readonly Measurement[]): string[] {
  const bad = runs.filter((m) => m.status < 200 || m.status > 299);
  if (bad.length === 0) return [];
  const statuses = [...new Set(bad.map((m) => m.status))].join(", ");
  return [
    `note: ${url} answered ${statuses} (not 2xx) on ${bad.length}/${runs.length} runs; timings are for that answer`,
  ];
}
