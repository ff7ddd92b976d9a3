// `npm run bench`: every way of serving the catalog, side by side, at 2,000, 20,000 and 100,000 bikes.
// Each variant has its own server (so the peak RSS of its function process is its own), all servers
// are started fresh for each size, and runs are interleaved: run 1 of every variant, then run 2 in a
// rotated order, and so on, so machine noise lands on all of them alike. Writes
// bench/results/<date>.json, bench/results/<date>.svg and BENCHMARKS.md.
//
// Usage: npm run bench -- [--runs N] [--sizes 2000,20000,100000] [--no-browser] [--out DIR]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { type Measurement, measure, type Summary, summarize } from "@firstbyte/ttfb";
import { MultiBar, Presets } from "cli-progress";
import { type Browser, chromium } from "playwright-core";
import { type CatalogConfig, readConfig } from "../lib/config";
import { renderBenchmarksMarkdown, renderTimelineSvg } from "./bench-report";
import { type PageTimeline, recordPageTimeline } from "./browser-timeline/timing";
import {
  buildIfStaleAt,
  buildLambdaIfStale,
  freePort,
  loadBikes,
  prepareTable,
  ROOT,
  serverEnv,
  startNextServer,
  stopProcess,
  waitUntilServing,
} from "./stack";

// ---------------------------------------------------------------------------------------------
// What is measured

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
  /** Marker of the first item on the wire. */
  firstItem: string;
}

const ROW = 'data-bike-id="';
const TARGETS: Target[] = [
  {
    id: "streamed",
    label: "/bikes streamed · lambda-url",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
  },
  {
    id: "buffered",
    label: "/bikes/buffered · lambda-url",
    path: "/bikes/buffered",
    browserPath: "/bikes/buffered",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: ROW,
  },
  {
    id: "ndjson",
    label: "/api/bikes NDJSON · client page · lambda-url",
    path: "/api/bikes",
    browserPath: "/bikes/client",
    server: "streaming-bundle",
    bandwidth: "aws",
    firstItem: '"items":[{',
  },
  {
    id: "streamed",
    label: "/bikes streamed · lambda-url",
    path: "/bikes",
    browserPath: "/bikes",
    server: "streaming-bundle",
    bandwidth: "off",
    firstItem: ROW,
  },
  {
    id: "buffered",
    label: "/bikes/buffered · lambda-url",
    path: "/bikes/buffered",
    browserPath: "/bikes/buffered",
    server: "streaming-bundle",
    bandwidth: "off",
    firstItem: ROW,
  },
  {
    id: "ndjson",
    label: "/api/bikes NDJSON · client page · lambda-url",
    path: "/api/bikes",
    browserPath: "/bikes/client",
    server: "streaming-bundle",
    bandwidth: "off",
    firstItem: '"items":[{',
  },
  // The same page from a 256 MB function (V8 heap capped at 230 MB). The page's live heap grows
  // ~1.7 KB a bike until the response ends (React's Flight client keeps every row of the response;
  // see BENCHMARKS.md), ~190 MB at 100,000 bikes: this shows whether the largest size still fits.
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
];

export const targetKey = (t: Target) => (t.bandwidth ? `${t.id}@${t.bandwidth}` : t.id);

/**
 * Runs per target and size. The whole bench must finish within 20 minutes on the 2-core machine, and
 * at 100,000 bikes every streamed /bikes variant gets the full runs (the targets are read there), as
 * does the NDJSON stream without the bandwidth model. The rest run once there, because their time
 * is not the code's: the buffered page's first byte is its whole render (15–20 s, never close to a
 * race) and under the 2 MB/s model its 97 MB body adds ~45 s of fixed-rate transfer; the NDJSON
 * stream under the model is ~22 s of the same; a 97 MB response cannot pass a buffered Lambda's
 * 6 MB limit (the same 502 every time). The report states n for every cell.
 */
const ONCE_AT_100K = new Set(["buffered@aws", "buffered@off", "ndjson@aws", "opennext-buffered"]);
function plannedRuns(target: Target, size: number, runs: number): number {
  if (size < 100_000) return runs;
  return ONCE_AT_100K.has(targetKey(target)) ? 1 : runs;
}

/** The browser loads pages at these sizes only (a 100 MB page is not a page anyone opens). */
const BROWSER_MAX_SIZE = 20_000;
/**
 * Browser runs: `runs` at 20,000 bikes (~10 s each). At 2,000 bikes (~2 s each) almost twice as
 * many, because "first row visible" there is a race: React shows the first Scan page with the shell
 * when it lands before the browser's first frame, and 300 ms after that frame when it does not
 * (decision 006), so a median of five can flip between the two.
 */
const browserRuns = (size: number, runs: number) => (size > 2_000 ? runs : 2 * runs - 1);
const browserTargets = (size: number) =>
  TARGETS.filter(
    (t) => t.bandwidth !== "off" && size <= BROWSER_MAX_SIZE && !(t.server === "buffered-bundle" && size > 2_000),
  );

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
  /** Peak RSS (VmHWM) of each target's server processes, MB. */
  peakRssMb: Record<string, number>;
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

// ---------------------------------------------------------------------------------------------
// Servers

interface RunningServer {
  url: string;
  pids(): number[];
  close(): Promise<void>;
}

const BUFFERED_BUNDLE = path.join(ROOT, "bench", "tmp", "open-next-buffered");

/** Builds OpenNext's default buffered bundle aside, keeping the streaming bundle in .open-next. */
async function buildBufferedBundleIfStale(log: (line: string) => void): Promise<void> {
  await buildIfStaleAt({
    what: "OpenNext default buffered wrapper",
    extraInputs: ["bench/open-next.buffered.config.ts"],
    output: path.join(BUFFERED_BUNDLE, "server-functions", "default", "index.mjs"),
    stampFile: path.join(ROOT, "bench", "tmp", "open-next-buffered.sha256"),
    log,
    build: async (run) => {
      const live = path.join(ROOT, ".open-next");
      const kept = path.join(ROOT, "bench", "tmp", "open-next-streaming-kept");
      await mkdir(path.dirname(kept), { recursive: true });
      await rm(kept, { recursive: true, force: true });
      if (existsSync(live)) await rename(live, kept);
      try {
        await run(path.join(ROOT, "node_modules", ".bin", "open-next"), [
          "build",
          "--config-path",
          "bench/open-next.buffered.config.ts",
        ]);
        await rm(BUFFERED_BUNDLE, { recursive: true, force: true });
        await rename(live, BUFFERED_BUNDLE);
      } finally {
        if (existsSync(kept)) {
          await rm(live, { recursive: true, force: true });
          await rename(kept, live);
        }
      }
    },
  });
}

async function startTargetServer(target: Target, catalog: CatalogConfig): Promise<RunningServer> {
  const env = serverEnv(catalog);
  if (target.server === "next-start") {
    const port = await freePort();
    const child: ChildProcess = startNextServer(port, catalog, "ignore");
    const url = `http://127.0.0.1:${port}`;
    await waitUntilServing(url, child);
    return { url, pids: () => (child.pid ? processTree(child.pid) : []), close: () => stopProcess(child) };
  }
  const bundle = target.server === "streaming-bundle" ? path.join(ROOT, ".open-next") : BUFFERED_BUNDLE;
  // Each Function URL runs in a process of its own (the `lambda-url` CLI), as on AWS, where the
  // front that relays a response is in no one's heap. Hosted in this process, next to the client,
  // the 100,000-bike page's TTFB measured 53–110 ms (the same function behind the
  // CLI: 28 ms for that page, 12–32 ms for small pages right after it).
  const child = spawn(
    process.execPath,
    [
      LAMBDA_URL_BIN,
      ...["--handler", path.join(bundle, "server-functions", "default", "index.handler")],
      ...["--assets", path.join(bundle, "assets")],
      ...["--port", "0", "--host", "127.0.0.1"],
      ...["--invoke-mode", target.server === "streaming-bundle" ? "RESPONSE_STREAM" : "BUFFERED"],
      ...["--bandwidth", target.bandwidth ?? "aws"],
      // As deployed (sst.config.ts). Four environments let the browser's parallel requests through.
      ...["--memory", String(target.memoryMb ?? 2048), "--timeout", "120", "--concurrency", "4"],
      ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await firstMatch(child, /function URL ready at (\S+)/, `lambda-url for ${targetKey(target)}`);
  // The function's execution environments are the CLI's child processes; the CLI itself is the front.
  return {
    url,
    pids: () => (child.pid ? processTree(child.pid).filter((pid) => pid !== child.pid) : []),
    close: () => stopProcess(child),
  };
}

const LAMBDA_URL_BIN = path.join(ROOT, "packages", "lambda-url", "bin", "lambda-url.mjs");

/** A process and its descendants, from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
    const [pid, ppid] = entry.trim().split(/\s+/).map(Number) as [number, number];
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const all: number[] = [];
  const visit = (pid: number) => {
    all.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return all;
}

/** Largest VmHWM (peak resident set) among the processes, in MB. */
async function peakRssMb(pids: number[]): Promise<number> {
  let peak = 0;
  for (const pid of pids) {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      // The process ended (a replaced environment); its peak is gone with it.
    }
  }
  return Math.round(peak);
}

// ---------------------------------------------------------------------------------------------
// Measuring

const summary = (values: Array<number | undefined>): Summary | undefined => {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length > 0 ? summarize(known) : undefined;
};

/**
 * Called before every measured request. The measuring client runs in this process: after a
 * 10–57 MB run its heap is full of the last response's buffers, and a collection that starts while
 * the next response head is on its way is counted in that response's TTFB. So the bench collects
 * first (`npm run bench` starts Node with --expose-gc). After a large response it also waits for
 * the 2 cores to go quiet: the function that sent it, its Function URL front and DynamoDB go on
 * collecting for a while, and on AWS that work would not share a CPU with the next request.
 */
async function settle(previousBytes: number): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  if (previousBytes > SETTLE_AFTER_BYTES) await cpuQuiet();
}
/** Before a browser run: the previous page had as many bytes as this one. */
const settleBeforePage = (httpBytes: Summary | undefined) => settle(httpBytes?.median ?? 0);
/** Lambda's full-speed share of a streamed response (6 MiB); larger runs are followed by a pause. */
const SETTLE_AFTER_BYTES = 6 * 1024 * 1024;

/** Waits until the machine's CPUs are at most 15% busy over 250 ms (Linux /proc/stat), for at most 5 s. */
async function cpuQuiet(): Promise<void> {
  const sample = async () => {
    const fields = (await readFile("/proc/stat", "utf8")).split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
  };
  const deadline = performance.now() + 5_000;
  try {
    let before = await sample();
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const after = await sample();
      const busy = 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
      if (busy <= 0.15) return;
      before = after;
    }
  } catch {
    // No /proc/stat (not Linux): a fixed pause instead.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "5" },
      sizes: { type: "string", default: "2000,20000,100000" },
      browser: { type: "boolean", default: true },
      "no-browser": { type: "boolean", default: false },
      out: { type: "string", default: path.join(ROOT, "bench", "results") },
    },
  });
  const runs = Number(values.runs);
  const sizes = values.sizes.split(",").map(Number);
  if (
    !Number.isInteger(runs) ||
    runs < 1 ||
    sizes.some((s) => !Number.isInteger(s) || s < 1) ||
    sizes.some((s, i) => i > 0 && s <= sizes[i - 1]!)
  ) {
    console.error(
      "usage: npm run bench -- [--runs N (≥1)] [--sizes 2000,20000,100000 (increasing)] [--no-browser] [--out DIR]",
    );
    process.exit(2);
  }
  const withBrowser = values.browser && !values["no-browser"];
  const started = performance.now();
  const log = (line: string) => console.error(`bench: ${line}`);

  await buildLambdaIfStale(log);
  await buildBufferedBundleIfStale(log);

  const dynamodb = await startDynamoDBProcess();
  const catalog: CatalogConfig = { ...readConfig({}), endpoint: dynamodb.endpoint };
  let browser: Browser | undefined;
  const result: BenchResult = {
    date: new Date().toISOString(),
    durationS: 0,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    versions: await versions(),
    runs,
    targets: TARGETS.map((t) => ({
      key: targetKey(t),
      id: t.id,
      label: t.label,
      path: t.path,
      browserPath: t.browserPath,
      server: t.server,
      bandwidth: t.bandwidth,
    })),
    sizes: [],
  };

  try {
    if (withBrowser) {
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--disable-dev-shm-usage",
        ],
      });
    }
    let loaded = 0;
    await prepareTable(catalog, 0, log);
    for (const size of sizes) {
      const sizeStarted = performance.now();
      if (size > loaded) {
        await loadBikes(catalog, size - loaded, loaded, log);
        loaded = size;
      }
      const sizeResult = await benchSize(size, runs, catalog, browser, log);
      sizeResult.durationS = Math.round((performance.now() - sizeStarted) / 1000);
      log(`${size.toLocaleString("en-US")} bikes: done in ${(sizeResult.durationS / 60).toFixed(1)} min`);
      result.sizes.push(sizeResult);
      // Written after each size, so an interrupted bench still leaves its figures.
      await writeOutputs(result, started, values.out);
    }
  } finally {
    await browser?.close();
    await dynamodb.close();
  }
  const files = await writeOutputs(result, started, values.out);
  console.log(`bench: done in ${(result.durationS / 60).toFixed(1)} min; wrote ${files.join(", ")}`);
}

async function benchSize(
  size: number,
  runs: number,
  catalog: CatalogConfig,
  browser: Browser | undefined,
  log: (line: string) => void,
): Promise<SizeResult> {
  log(`${size.toLocaleString("en-US")} bikes: starting ${TARGETS.length} servers`);
  const servers = new Map<string, RunningServer>();
  try {
    for (const target of TARGETS) servers.set(targetKey(target), await startTargetServer(target, catalog));
    const planned = TARGETS.map((t) => ({ target: t, runs: plannedRuns(t, size, runs) }));
    const bTargets = browser ? browserTargets(size) : [];
    const bRuns = browserRuns(size, runs);
    const withBr = (p: { runs: number }) => p.runs === runs;
    const total = planned.reduce((sum, p) => sum + p.runs + 1 + (withBr(p) ? 1 : 0), 0) + bTargets.length * bRuns;

    const bars = new MultiBar(
      {
        format: `${size.toLocaleString("en-US")} bikes [{bar}] {value}/{total} {what}`,
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 15000,
        hideCursor: true,
      },
      Presets.legacy,
    );
    const bar = bars.create(total, 0, { what: "" });
    const step = (what: string) => bar.increment(1, { what });
    const measurements = new Map<string, Measurement[]>();
    const timeout = 300_000;

    // Warm-up: one short request each (the cold start and first route load are not what is compared).
    for (const { target } of planned) {
      const url = `${servers.get(targetKey(target))!.url}${target.path}?limit=1`;
      await measure(url, { timeoutMs: timeout }).catch(() => undefined);
      step(`warm-up ${targetKey(target)}`);
    }
    let previousBytes = 0;
    let previousKey: string | undefined;
    const runLog = new Map<string, NonNullable<HttpResult["runs"]>>();
    for (let run = 0; run < runs; run++) {
      for (const { target, runs: n } of rotate(planned, run)) {
        if (run >= n) continue;
        const key = targetKey(target);
        await settle(previousBytes);
        const m = await measure(servers.get(key)!.url + target.path, {
          timeoutMs: timeout,
          markers: { firstItem: target.firstItem },
        });
        previousBytes = m.bytes;
        runLog.set(key, [
          ...(runLog.get(key) ?? []),
          {
            ttfbMs: Math.round(m.ttfbMs * 10) / 10,
            totalMs: Math.round(m.totalMs),
            status: m.status,
            after: previousKey,
          },
        ]);
        previousKey = key;
        if (m.status === 200) measurements.set(key, [...(measurements.get(key) ?? []), m]);
        step(`${key} run ${run + 1}`);
      }
    }
    const http: Record<string, HttpResult> = {};
    for (const plan of planned) {
      const { target, runs: n } = plan;
      const key = targetKey(target);
      const ms = measurements.get(key) ?? [];
      // One compressed transfer each (skipped where the variant runs once): the bytes where the
      // client may ask for br.
      const br = withBr(plan)
        ? await measure(servers.get(key)!.url + target.path, {
            timeoutMs: timeout,
            headers: { "accept-encoding": "br" },
          }).catch(() => undefined)
        : undefined;
      if (withBr(plan)) step(`${key} br`);
      http[key] = {
        n,
        status: (runLog.get(key) ?? []).map((r) => r.status),
        ttfbMs: summary(ms.map((m) => m.ttfbMs)),
        firstItemMs: summary(ms.map((m) => m.markers.firstItem)),
        totalMs: summary(ms.map((m) => m.totalMs)),
        bytes: summary(ms.map((m) => m.bytes)),
        brBytes: br?.status === 200 ? br.bytes : undefined,
        brTotalMs: br?.status === 200 ? Math.round(br.totalMs) : undefined,
        runs: runLog.get(key),
      };
    }

    const browserResults: Record<string, BrowserResult> = {};
    if (browser && bTargets.length > 0) {
      const timelines = new Map<string, PageTimeline[]>();
      for (let run = 0; run < bRuns; run++) {
        for (const target of rotate(bTargets, run)) {
          const key = targetKey(target);
          await settleBeforePage(http[key]?.bytes);
          const context = await browser.newContext();
          // tsx compiles with esbuild's keepNames, which wraps named functions in __name(); the
          // recorder's functions are serialized into the page, where __name must exist too.
          await context.addInitScript({ content: "globalThis.__name ??= (target) => target;" });
          const page = await context.newPage();
          try {
            const timeline = await recordPageTimeline(page, servers.get(key)!.url + target.browserPath, { timeout });
            timelines.set(key, [...(timelines.get(key) ?? []), timeline]);
          } catch (error) {
            log(`browser ${key}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
          } finally {
            await context.close();
          }
          step(`browser ${key} run ${run + 1}`);
        }
      }
      for (const target of bTargets) {
        const key = targetKey(target);
        const list = timelines.get(key) ?? [];
        browserResults[key] = {
          n: list.length,
          responseStart: summary(list.map((t) => t.responseStart)),
          shellVisible: summary(list.map((t) => t.shell.visible)),
          firstRowVisible: summary(list.map((t) => t.firstRow.visible)),
          lastRowVisible: summary(list.map((t) => t.lastRow.visible)),
          hydrated: summary(list.map((t) => t.hydrated)),
          rows: list.map((t) => t.rows),
          sample: medianBy(list, (t) => t.lastRow.visible ?? Infinity),
        };
      }
    }
    bars.stop();

    const peakRss: Record<string, number> = {};
    for (const [key, server] of servers) peakRss[key] = await peakRssMb(server.pids());
    return { bikes: size, http, browser: browserResults, peakRssMb: peakRss };
  } finally {
    for (const server of servers.values()) await server.close().catch(() => {});
  }
}

/** scripts/dynamodb-server.ts in a child process; resolves with its endpoint. */
async function startDynamoDBProcess(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [path.join(ROOT, "scripts", "dynamodb-server.ts")],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const endpoint = await firstMatch(child, /^endpoint=(\S+)/, "the DynamoDB process");
  return { endpoint, close: () => stopProcess(child) };
}

/**
 * The first capture of `pattern` in a child's stdout or stderr, line by line; rejects with the
 * child's last lines if it exits first. Every line is read for the child's whole life, so a chatty
 * child never blocks on a full pipe.
 */
function firstMatch(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  const lastLines: string[] = [];
  return new Promise<string>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(new Error(`${what} exited (code ${code}) before it was ready:\n${lastLines.join("\n")}`)),
    );
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        lastLines.push(line);
        if (lastLines.length > 20) lastLines.shift();
        const match = pattern.exec(line);
        if (match) resolve(match[1]!);
      });
    }
  });
}

function medianBy<T>(list: T[], by: (item: T) => number): T | undefined {
  if (list.length === 0) return undefined;
  return [...list].sort((a, b) => by(a) - by(b))[(list.length - 1) >> 1];
}

async function versions(): Promise<Record<string, string>> {
  const read = async (name: string) => {
    try {
      return (
        JSON.parse(await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }
      ).version;
    } catch {
      return "?";
    }
  };
  const names = [
    "next",
    "react",
    "@opennextjs/aws",
    "aws-lambda-ric",
    "dynalite",
    "playwright-core",
    "@aws-sdk/client-dynamodb",
  ];
  const found: Record<string, string> = {};
  for (const name of names) found[name] = await read(name);
  try {
    found.chromium = execFileSync(process.env.CHROMIUM_PATH || "/usr/bin/chromium", ["--version"], {
      encoding: "utf8",
    }).trim();
  } catch {
    found.chromium = "?";
  }
  return found;
}

async function writeOutputs(result: BenchResult, started: number, outDir: string): Promise<string[]> {
  result.durationS = Math.round((performance.now() - started) / 1000);
  await mkdir(outDir, { recursive: true });
  const stem = result.date.slice(0, 10);
  const json = path.join(outDir, `${stem}.json`);
  const svg = path.join(outDir, `${stem}.svg`);
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(svg, renderTimelineSvg(result));
  const markdown = path.join(ROOT, "BENCHMARKS.md");
  await writeFile(markdown, renderBenchmarksMarkdown(result, path.relative(ROOT, svg), path.relative(ROOT, json)));
  return [path.relative(ROOT, json), path.relative(ROOT, svg), "BENCHMARKS.md"];
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
