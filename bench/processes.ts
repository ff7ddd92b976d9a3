// The bench's child processes and what it reads of them: the DynamoDB process, one server per
// variant (each Function URL in a lambda-url process of its own), their process trees and peak RSS
// from /proc, and how busy the CPUs are.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureNginx, startEdgeCache } from "../harness/edge-cache";
import {
  buildIfStaleAt,
  deployedRuntime,
  freePort,
  ROOT,
  serverEnv,
  startNextServer,
  stopProcess,
  waitUntilServing,
} from "../harness/stack";
import type { CatalogConfig } from "../lib/config";
import { type Target, targetKey } from "./plan";

export interface RunningServer {
  url: string;
  /** The processes whose memory is the function's (or the Next server's). */
  pids(): Promise<number[]>;
  close(): Promise<void>;
}

export const BUFFERED_BUNDLE = path.join(ROOT, "bench", "tmp", "open-next-buffered");
export const STREAMING_BUNDLE = path.join(ROOT, ".open-next");
const LAMBDA_URL_BIN = path.join(ROOT, "packages", "lambda-url", "bin", "lambda-url.mjs");

/** Builds OpenNext's default buffered bundle aside, keeping the streaming bundle in .open-next. */
export async function buildBufferedBundleIfStale(log: (line: string) => void): Promise<void> {
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

export async function startTargetServer(target: Target, catalog: CatalogConfig): Promise<RunningServer> {
  const env = { ...serverEnv(catalog), ...target.env };
  if (target.server === "next-start") {
    const port = await freePort();
    const child: ChildProcess = startNextServer(port, catalog, "ignore");
    const url = `http://127.0.0.1:${port}`;
    await waitUntilServing(url, child);
    return { url, pids: async () => (child.pid ? processTree(child.pid) : []), close: () => stopProcess(child) };
  }
  const bundle = target.server === "streaming-bundle" ? STREAMING_BUNDLE : BUFFERED_BUNDLE;
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
      // On the Node of the runtime sst.config.ts deploys, as the cold starts are (bench/cold.ts).
      ...["--runtime", deployedRuntime()],
      ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await firstMatch(child, /function URL ready at (\S+)/, `lambda-url for ${targetKey(target)}`);
  // The function's execution environments are the CLI's child processes; the CLI itself is the front.
  const pids = async () => (child.pid ? (await processTree(child.pid)).filter((pid) => pid !== child.pid) : []);
  if (target.edge) {
    const port = await freePort();
    const edge = await startEdgeCache(await ensureNginx(path.join(ROOT, ".cache", "edge"), () => {}), {
      port,
      origin: url,
      dir: path.join(ROOT, ".cache", `edge-bench-${port}`),
    });
    return {
      url: edge.url,
      pids,
      close: async () => {
        await edge.close();
        await stopProcess(child);
      },
    };
  }
  return { url, pids, close: () => stopProcess(child) };
}

/** harness/dynamodb-server.ts in a child process; resolves with its endpoint. */
export async function startDynamoDBProcess(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [path.join(ROOT, "harness", "dynamodb-server.ts")],
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
export function firstMatch(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
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

/** A process and its descendants, from the parent pid in every /proc/<pid>/stat (Linux, proc(5)). */
export async function processTree(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // it ended since the listing
    }
    // The command name (field 2, in parentheses) may hold spaces and parentheses itself: the
    // fields after its closing parenthesis are the state, then the parent's pid.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const all: number[] = [];
  const visit = (pid: number) => {
    all.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return all;
}

/**
 * Largest VmHWM (peak resident set) among the processes, in MB, from /proc/<pid>/status; undefined
 * when none could be read.
 */
export async function peakRssMb(pids: number[]): Promise<number | undefined> {
  let peak: number | undefined;
  for (const pid of pids) {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (kb !== undefined) peak = Math.max(peak ?? 0, Number(kb) / 1024);
    } catch {
      // The process ended (a replaced environment); its peak is gone with it.
    }
  }
  return peak === undefined ? undefined : Math.round(peak);
}

/** Waits until the machine's CPUs are at most 15% busy over 250 ms (Linux /proc/stat), for at most 5 s. */
export async function cpuQuiet(): Promise<void> {
  const sample = async () => {
    const fields = (await readFile("/proc/stat", "utf8")).split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
  };
  const deadline = performance.now() + 5_000;
  try {
    let before = await sample();
    while (performance.now() < deadline) {
      await sleep(250);
      const after = await sample();
      const busy = 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
      if (busy <= 0.15) return;
      before = after;
    }
  } catch {
    // No /proc/stat (not Linux): a fixed pause instead.
    await sleep(1_000);
  }
}
