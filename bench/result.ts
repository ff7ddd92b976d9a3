// What a bench run records (bench/results/<date>.json): written by the run, read by the report and
// the chart.
import type { Summary } from "@firstbyte/ttfb";
import type { PageTimeline } from "../harness/browser-timeline/page-timeline";
import type { ColdResult } from "./cold";
import type { Target } from "./plan";

export interface HttpResult {
  n: number;
  status: number[];
  ttfbMs?: Summary;
  firstItemMs?: Summary;
  totalMs?: Summary;
  bytes?: Summary;
  brBytes?: number;
  brTotalMs?: number;
  /** Every run in the order made: its TTFB and total, and which variant was measured just before it. */
  runs?: Array<{ ttfbMs: number; totalMs: number; status: number; after: string | undefined }>;
}

export interface BrowserResult {
  n: number;
  responseStart?: Summary;
  shellVisible?: Summary;
  firstRowVisible?: Summary;
  lastRowVisible?: Summary;
  hydrated?: Summary;
  rows: number[];
  sample?: PageTimeline;
}

export interface SizeResult {
  bikes: number;
  http: Record<string, HttpResult>;
  browser: Record<string, BrowserResult>;
  /** Peak RSS (VmHWM) of each target's server processes, MB; absent where /proc could not be read. */
  peakRssMb: Record<string, number>;
  /**
   * Cold starts (bench/cold.ts), measured at the first size only: a fresh execution
   * environment's first request per Lambda variant, and the floor (a trivial handler).
   */
  cold?: Record<string, ColdResult>;
  /** Wall-clock time of this size's step: loading the bikes, starting the servers and every run. */
  durationS?: number;
}

export interface BenchResult {
  date: string;
  durationS: number;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; loadAverage: number[] };
  versions: Record<string, string>;
  runs: number;
  targets: Array<Pick<Target, "id" | "label" | "path" | "browserPath" | "server" | "bandwidth"> & { key: string }>;
  sizes: SizeResult[];
}
