// Cold starts: a fresh Function URL (the `lambda-url` CLI in a process of its own, as the warm
// servers run) whose first request therefore lands on a new execution environment. Its first
// response is timed from the client, and lambda-url's log line for it gives Lambda's Init Duration
// (the runtime's process start to its first /invocation/next: Node's and the runtime's start plus
// the handler's import). A trivial handler (floor-handler.mjs) measured in the same rounds gives the
// part of that which is the runtime's own, so each variant's cold TTFB splits into:
//   runtime ready  = the floor's Init Duration in the same round,
//   handler import = Init Duration − runtime ready,
//   first request  = TTFB − Init Duration (the event delivered, the proxy, the route's first render).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { measure, type Summary, summarize } from "@firstbyte/ttfb";
import { ROOT, stopProcess } from "../harness/stack";
import { type Target, targetKey } from "./plan";
import { BUFFERED_BUNDLE, firstMatch, STREAMING_BUNDLE } from "./processes";

const LAMBDA_URL_BIN = path.join(ROOT, "packages", "lambda-url", "bin", "lambda-url.mjs");
/** The trivial streaming handler whose cold start is the floor: no framework, one write. */
export const FLOOR_HANDLER = path.join(ROOT, "bench", "floor-handler.handler");
export const FLOOR_KEY = "floor";

export interface ColdVariant {
  key: string;
  /** DIR/FILE.EXPORT, as lambda-url takes it. */
  handler: string;
  /** Request path of the first request. */
  path: string;
  /** Marker of the first item on the wire. */
  firstItem?: string;
  invokeMode?: "RESPONSE_STREAM" | "BUFFERED";
  memoryMb?: number;
  /** The function's environment (the catalog's settings, and any variable a lever sets). */
  env: Record<string, string>;
  runtime: string;
}

export interface ColdRun {
  status: number;
  ttfbMs: number;
  firstItemMs: number | undefined;
  /** lambda-url's `Init Duration` for this cold start; undefined if its log line was not seen. */
  initMs: number | undefined;
  /**
   * CPU time (user + system, all threads) of the function's process from its start to the first body
   * byte at the client; undefined without /proc. Unlike the wall-clock figures it hardly moves with
   * the machine's load, so it tells levers apart on a shared machine.
   */
  cpuMs: number | undefined;
}

/** User + system CPU time of a process in ms, from /proc/PID/stat (proc(5): utime and stime, in clock ticks). */
function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name's closing parenthesis come field 3 (state) onwards; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
/** A process's children, from /proc/PID/task/PID/children (proc(5)); [] when it cannot be read. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
/** USER_HZ, which Linux fixes at 100 for user space (times(2)). */
const CLOCK_TICKS_PER_SECOND = 100;

const INIT_LINE = / cold Init Duration: ([\d.]+) ms/;

/** One cold start: starts a Function URL, sends it one request, reads its Init Duration, stops it. */
export async function measureColdStart(variant: ColdVariant): Promise<ColdRun> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      LAMBDA_URL_BIN,
      ...["--handler", variant.handler],
      ...["--port", "0", "--host", "127.0.0.1", "--bandwidth", "off"],
      ...["--invoke-mode", variant.invokeMode ?? "RESPONSE_STREAM"],
      ...["--memory", String(variant.memoryMb ?? 2048), "--timeout", "60", "--runtime", variant.runtime],
      ...Object.entries(variant.env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  try {
    // Listening before the line is read: the invocation's line may follow the ready line at once.
    const initMs = new Promise<number | undefined>((resolve) => {
      if (child.stdout) {
        createInterface({ input: child.stdout }).on("line", (line) => {
          const match = INIT_LINE.exec(line);
          if (match) resolve(Number(match[1]));
        });
      }
      child.once("exit", () => resolve(undefined));
    });
    const url = await firstMatch(
      child,
      /function URL ready at (\S+)/,
      `lambda-url for the cold start of ${variant.key}`,
    );
    // The execution environment is the CLI's only child; it appears once the request has arrived.
    let cpuMs: number | undefined;
    const m = await measure(url + variant.path, {
      timeoutMs: 60_000,
      markers: variant.firstItem ? { firstItem: variant.firstItem } : {},
      onChunk: (_chunk, index) => {
        const functionPid = index === 0 && child.pid !== undefined ? childPids(child.pid)[0] : undefined;
        if (functionPid !== undefined) cpuMs = cpuTimeMs(functionPid);
      },
    });
    // The log line follows the end of the response by a moment (the same process writes it).
    const init = await Promise.race([initMs, new Promise<undefined>((resolve) => setTimeout(resolve, 2_000))]);
    return {
      status: m.status,
      ttfbMs: round1(m.ttfbMs),
      firstItemMs: m.markers.firstItem === undefined ? undefined : round1(m.markers.firstItem),
      initMs: init === undefined ? undefined : round1(init),
      cpuMs,
    };
  } finally {
    await stopProcess(child);
  }
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

export interface ColdResult {
  n: number;
  status: number[];
  ttfbMs?: Summary;
  firstItemMs?: Summary;
  /** Init Duration: runtime ready + handler import. */
  initMs?: Summary;
  /** The floor's Init Duration in the same rounds (the runtime's own start). */
  runtimeReadyMs?: Summary;
  /** Init Duration − the same round's floor Init Duration. */
  importMs?: Summary;
  /** TTFB − Init Duration: from the runtime asking for work to the first byte at the client. */
  firstRequestMs?: Summary;
  /** CPU time of the function's process to the first body byte. */
  cpuMs?: Summary;
  runs: ColdRun[];
}

const summary = (values: Array<number | undefined>): Summary | undefined => {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length > 0 ? summarize(known) : undefined;
};

/**
 * `rounds` cold starts of every variant, interleaved (round k in an order rotated by k) so machine
 * noise lands on all alike; the floor is one of the variants, and each variant's runs are paired
 * with the floor's run of the same round for the runtime's share of Init Duration.
 */
export async function measureColdStarts(
  variants: ColdVariant[],
  rounds: number,
  onRun?: (key: string, round: number, run: ColdRun) => void,
): Promise<Record<string, ColdResult>> {
  const runs = new Map<string, ColdRun[]>(variants.map((v) => [v.key, []]));
  for (let round = 0; round < rounds; round++) {
    const k = round % variants.length;
    for (const variant of [...variants.slice(k), ...variants.slice(0, k)]) {
      const run = await measureColdStart(variant);
      runs.get(variant.key)?.push(run);
      onRun?.(variant.key, round, run);
    }
  }
  const floorRuns = runs.get(FLOOR_KEY);
  const results: Record<string, ColdResult> = {};
  for (const variant of variants) {
    const list = runs.get(variant.key) ?? [];
    const ok = list.filter((run) => run.status === 200);
    const paired = list.map((run, round) => {
      const floorInit = floorRuns?.[round]?.initMs;
      return run.status === 200 && run.initMs !== undefined && floorInit !== undefined ? floorInit : undefined;
    });
    results[variant.key] = {
      n: list.length,
      status: list.map((run) => run.status),
      ttfbMs: summary(ok.map((run) => run.ttfbMs)),
      firstItemMs: summary(ok.map((run) => run.firstItemMs)),
      initMs: summary(ok.map((run) => run.initMs)),
      runtimeReadyMs: summary(paired),
      importMs: summary(
        list.map((run, round) =>
          paired[round] !== undefined && run.initMs !== undefined ? round1(run.initMs - paired[round]) : undefined,
        ),
      ),
      firstRequestMs: summary(
        ok.map((run) => (run.initMs === undefined ? undefined : round1(run.ttfbMs - run.initMs))),
      ),
      cpuMs: summary(ok.map((run) => run.cpuMs)),
      runs: list,
    };
  }
  return results;
}

/**
 * The cold starts the bench makes: one per distinct function and first request among the Lambda
 * variants (the bandwidth model does not change a first byte, and a query string does not change
 * what is loaded), under the key of the first variant that has it, plus the floor.
 */
export function coldVariantsFor(targets: Target[], env: Record<string, string>, runtime: string): ColdVariant[] {
  const variants: ColdVariant[] = [{ key: FLOOR_KEY, handler: FLOOR_HANDLER, path: "/", env: {}, runtime }];
  const seen = new Set<string>();
  for (const target of targets) {
    if (target.server === "next-start") continue;
    const bundle = target.server === "streaming-bundle" ? STREAMING_BUNDLE : BUFFERED_BUNDLE;
    const identity = `${bundle} ${target.path.split("?")[0]} ${target.memoryMb ?? 2048} ${JSON.stringify(target.env ?? {})}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    variants.push({
      key: targetKey(target),
      handler: path.join(bundle, "server-functions", "default", "index.handler"),
      path: target.path,
      firstItem: target.firstItem,
      invokeMode: target.server === "streaming-bundle" ? "RESPONSE_STREAM" : "BUFFERED",
      memoryMb: target.memoryMb,
      env: { ...env, ...target.env },
      runtime,
    });
  }
  return variants;
}
