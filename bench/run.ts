// The bench's run loop: for each size, load the bikes, start one fresh server per variant, warm
// each up, then interleave the runs (run k of every variant in an order rotated by k, so machine
// noise lands on all of them alike), over HTTP and in Chromium, and read each variant's peak RSS.
import { type Measurement, measure, type Summary, summarize } from "@firstbyte/ttfb";
import { MultiBar, Presets } from "cli-progress";
import { type Browser, chromium } from "playwright-core";
import type { PageTimeline } from "../harness/browser-timeline/page-timeline";
import { recordPageTimeline } from "../harness/browser-timeline/timing";
import { CHROMIUM_LAUNCH_ARGS, requireChromium } from "../harness/chromium";
import { buildLambdaIfStale, deployedRuntime, loadBikes, prepareTable, serverEnv } from "../harness/stack";
import { type CatalogConfig, readConfig } from "../lib/config";
import { type ColdResult, coldVariantsFor, measureColdStarts } from "./cold";
import { benchEnvironment } from "./output";
import {
  type BenchOptions,
  browserRuns,
  browserTargets,
  plannedRuns,
  selectTargets,
  type Target,
  targetKey,
} from "./plan";
import {
  buildBufferedBundleIfStale,
  cpuQuiet,
  peakRssMb,
  type RunningServer,
  startDynamoDBProcess,
  startTargetServer,
} from "./processes";
import type { BenchResult, BrowserResult, HttpResult, SizeResult } from "./result";

type Log = (line: string) => void;

/**
 * Runs the whole bench; `afterSize` gets the result so far after each size, so an interrupted bench
 * still leaves its figures.
 */
/** Past the largest page the bench serves; the ceilings lib/config.ts accepts. */
const WHOLE_PAGE_BUDGET = { bytes: 200 * 1024 * 1024, ms: 900_000, scanRequests: 100_000 };

export async function runBench(
  options: BenchOptions,
  log: Log,
  afterSize: (result: BenchResult) => Promise<void>,
): Promise<BenchResult> {
  // Before minutes of building: without a browser this throws the one line saying what to run.
  const targets = selectTargets(options.targets);
  const browserFound =
    options.browser && browserTargets(Math.min(...options.sizes), targets).length > 0 ? requireChromium() : undefined;
  const browserPath = browserFound ? (browserFound.executablePath ?? chromium.executablePath()) : undefined;
  // The Lambda build also leaves the .next/ that next start serves.
  if (targets.some((t) => t.server !== "buffered-bundle")) await buildLambdaIfStale(log);
  if (targets.some((t) => t.server === "buffered-bundle")) await buildBufferedBundleIfStale(log);

  const dynamodb = await startDynamoDBProcess();
  // Every variant serves whole pages (100,000 bikes are 57 MB) so the figures stay comparable with
  // earlier runs: the work budget's ceilings are raised past them, in the servers' environment
  // (serverEnv). The "streamed-budget" row asks for the default budget back through its query.
  const catalog: CatalogConfig = { ...readConfig({}), endpoint: dynamodb.endpoint, budget: WHOLE_PAGE_BUDGET };
  let browser: Browser | undefined;
  const result: BenchResult = {
    date: new Date().toISOString(),
    durationS: 0,
    ...(await benchEnvironment(browserPath)),
    runs: options.runs,
    targets: targets.map((t) => ({
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
    if (browserPath) {
      browser = await chromium.launch({
        executablePath: browserPath,
        args: CHROMIUM_LAUNCH_ARGS,
      });
    }
    let loaded = 0;
    await prepareTable(catalog, 0, log);
    for (const size of options.sizes) {
      const sizeStarted = performance.now();
      if (size > loaded) {
        await loadBikes(catalog, size - loaded, loaded, log);
        loaded = size;
      }
      // Cold starts once, at the first size: what a new environment loads does not depend on the
      // table, and its first request is the page's head, the same at every size.
      const cold = size === options.sizes[0] ? await benchColdStarts(options.runs, targets, catalog, log) : undefined;
      const sizeResult = await benchSize(size, options.runs, targets, catalog, browser, log);
      if (cold) sizeResult.cold = cold;
      sizeResult.durationS = Math.round((performance.now() - sizeStarted) / 1000);
      log(`${size.toLocaleString("en-US")} bikes: done in ${(sizeResult.durationS / 60).toFixed(1)} min`);
      result.sizes.push(sizeResult);
      await afterSize(result);
    }
  } finally {
    await browser?.close();
    await dynamodb.close();
  }
  return result;
}

/** `runs` cold starts of every Lambda variant and the floor, interleaved (bench/cold.ts). */
async function benchColdStarts(
  runs: number,
  targets: Target[],
  catalog: CatalogConfig,
  log: Log,
): Promise<Record<string, ColdResult> | undefined> {
  const variants = coldVariantsFor(targets, serverEnv(catalog), deployedRuntime());
  if (variants.length === 1) return undefined; // only the floor: no Lambda variant was selected
  log(`cold starts: ${variants.length} variants × ${runs}, each a fresh Function URL`);
  return measureColdStarts(variants, runs, (key, round, run) => {
    if (run.status !== 200 || run.initMs === undefined)
      log(`cold start ${key} run ${round + 1}: status ${run.status}, Init Duration ${run.initMs ?? "not logged"}`);
  });
}

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

function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function medianBy<T>(list: T[], by: (item: T) => number): T | undefined {
  if (list.length === 0) return undefined;
  return [...list].sort((a, b) => by(a) - by(b))[(list.length - 1) >> 1];
}

async function benchSize(
  size: number,
  runs: number,
  targets: Target[],
  catalog: CatalogConfig,
  browser: Browser | undefined,
  log: Log,
): Promise<SizeResult> {
  log(`${size.toLocaleString("en-US")} bikes: starting ${targets.length} servers`);
  const servers = new Map<string, RunningServer>();
  try {
    for (const target of targets) servers.set(targetKey(target), await startTargetServer(target, catalog));
    const planned = targets.map((t) => ({ target: t, runs: plannedRuns(t, size, runs) }));
    const bTargets = browser ? browserTargets(size, targets) : [];
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
      const url = `${servers.get(targetKey(target))!.url}${target.warmUpPath ?? `${target.path}?limit=1`}`;
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
          markers: target.firstItem ? { firstItem: target.firstItem } : {},
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
          sample: medianBy(list, (t) => t.lastRow.visible),
        };
      }
    }
    bars.stop();

    const peakRss: Record<string, number> = {};
    for (const [key, server] of servers) {
      try {
        const peak = await peakRssMb(await server.pids());
        if (peak !== undefined) peakRss[key] = peak;
        else log(`${key}: no server process left to read the peak RSS of`);
      } catch (error) {
        log(`${key}: peak RSS not measured (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    return { bikes: size, http, browser: browserResults, peakRssMb: peakRss };
  } finally {
    for (const server of servers.values()) await server.close().catch(() => {});
  }
}
