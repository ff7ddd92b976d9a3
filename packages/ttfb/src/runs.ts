import { type Measurement, type MeasureOptions, measure } from "./measure.ts";

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Median (mean of the two middle values for an even count), min and max. */
export function summarize(values: number[]): Summary {
  if (values.length === 0) throw new RangeError("summarize needs at least one value");
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

function assertRuns(runs: number): void {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
}

export interface MeasureRunsOptions extends MeasureOptions {
  /** Called after each run, with its 0-based index. */
  onRun?: (i: number, m: Measurement) => void;
}

/** Measures `url` `runs` times, one after the other, each on a fresh connection. */
export async function measureRuns(url: string, runs: number, options: MeasureRunsOptions = {}): Promise<Measurement[]> {
  assertRuns(runs);
  const { onRun, ...measureOptions } = options;
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i += 1) {
    const m = await measure(url, measureOptions);
    results.push(m);
    onRun?.(i, m);
  }
  return results;
}

/** Which side of a pair was requested first. */
export type PairOrder = "a-first" | "b-first";

export interface CompareOptions extends MeasureOptions {
  /** Called after each request, with the 0-based pair index and the side measured. */
  onRun?: (pair: number, side: "a" | "b", m: Measurement) => void;
}

export interface Comparison {
  a: Measurement[];
  b: Measurement[];
  /** `order[i]` says which URL went first in pair i; it alternates, starting with A. */
  order: PairOrder[];
  /**
   * B/A for each pair. `ttfb` and `total` have one entry per pair; `markers[name]` has one entry
   * per pair where both sides saw the marker (pairs where either missed it are left out).
   */
  ratios: { ttfb: number[]; total: number[]; markers: Record<string, number[]> };
}

/**
 * Measures A and B in pairs, alternating which goes first (A,B then B,A …) so a warm-up or
 * cache effect on whichever runs second does not favour one side, and returns B/A per pair.
 */
export async function compare(a: string, b: string, runs: number, options: CompareOptions = {}): Promise<Comparison> {
  assertRuns(runs);
  const { onRun, ...measureOptions } = options;
  const result: Comparison = { a: [], b: [], order: [], ratios: { ttfb: [], total: [], markers: {} } };
  for (const name of Object.keys(options.markers ?? {})) result.ratios.markers[name] = [];

  for (let i = 0; i < runs; i += 1) {
    const order: PairOrder = i % 2 === 0 ? "a-first" : "b-first";
    const sides: Array<"a" | "b"> = order === "a-first" ? ["a", "b"] : ["b", "a"];
    const pair: Partial<Record<"a" | "b", Measurement>> = {};
    for (const side of sides) {
      const m = await measure(side === "a" ? a : b, measureOptions);
      pair[side] = m;
      onRun?.(i, side, m);
    }
    const ma = pair.a!;
    const mb = pair.b!;
    result.a.push(ma);
    result.b.push(mb);
    result.order.push(order);
    result.ratios.ttfb.push(mb.ttfbMs / ma.ttfbMs);
    result.ratios.total.push(mb.totalMs / ma.totalMs);
    for (const [name, ratios] of Object.entries(result.ratios.markers)) {
      const atA = ma.markers[name];
      const atB = mb.markers[name];
      if (atA !== undefined && atB !== undefined) ratios.push(atB / atA);
    }
  }
  return result;
}
