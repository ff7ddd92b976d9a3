// The local stack in one place: DynamoDB (embedded unless DYNAMODB_ENDPOINT says otherwise), the
// Bikes table and its seed, a fresh build, and the server. `npm start`, the e2e suite and the
// measurements all call startStack(). The default server is the production path: the OpenNext
// Lambda bundle behind @firstbyte/lambda-url (a streaming Function URL); `next start` is the other.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { startEmbeddedDynamoDB, startFaultProxy } from "@firstbyte/dynamo-local";
import { FunctionUrlServer, isNodeRuntime, type NodeRuntime } from "@firstbyte/lambda-url";
import { type CatalogConfig, readConfig } from "../lib/config";
import { createDocumentClient } from "../lib/dynamo";
import { STATIC_SECURITY_HEADERS } from "../lib/security-headers";
import { buildLambda } from "../scripts/build-lambda";
import { countItems, ensureBikesTable, isTableEmpty, seedBikes } from "../seed/table";
import { ensureNginx, startEdgeCache } from "./edge-cache";
import { progressBar } from "./progress";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface StackOptions {
  /** Port for the app; 0 picks a free one. */
  port: number;
  /** Keep the embedded DynamoDB's data under .data/ (npm start) or in memory (tests). */
  persist: boolean;
  /** Bikes to load when the table is empty. */
  seedCount: number;
  /** "lambda" (default): the OpenNext bundle behind the Function URL emulator; "next": `next start`. */
  server?: ServerKind;
  /** Function URL emulator settings for the Lambda path. */
  lambda?: { bandwidth?: "aws" | "off"; concurrency?: number; log?: (line: string) => void };
  /**
   * Put @firstbyte/dynamo-local's fault proxy between the server and DynamoDB (the e2e suite does),
   * so faults can be switched on at runtime through `Stack.faultControlUrl`. Seeding bypasses it.
   */
  faultProxy?: boolean;
  /**
   * Put the local edge cache (nginx, harness/edge-cache.ts) on `port` in front of the server, as
   * CloudFront is in front of the Function URL (`npm start`, the e2e suite, `npm run load`). The
   * server then listens on a free port of its own: `Stack.originUrl`.
   */
  edge?: boolean;
  log?: (line: string) => void;
}

export type ServerKind = "lambda" | "next";

export interface Stack {
  /** Where readers go: the edge cache when `edge` was asked for, else the server itself. */
  url: string;
  /** The server (the function) without the edge: what the bench and the TTFB measurements time. */
  originUrl: string;
  dynamodbEndpoint: string;
  server: ServerKind;
  /** The fault proxy's control API (`faultProxyClient` of @firstbyte/dynamo-local), when `faultProxy` was asked for. */
  faultControlUrl: string | undefined;
  /** Process ids of the server (on the Lambda path: the live function processes), for memory sampling. */
  serverPids(): number[];
  /**
   * Resolves once the server runs no request, including those whose client left: on the Lambda path
   * the Function URL emulator's own signal; `next start` has none, and this resolves at once.
   */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    const settings = readConfig();
    let endpoint = settings.endpoint;
    if (endpoint === undefined) {
      const dynamodb = await startEmbeddedDynamoDB({
        path: options.persist ? path.join(ROOT, ".data", "dynalite") : undefined,
      });
      closers.push(dynamodb.close);
      endpoint = dynamodb.endpoint;
      log(
        `DynamoDB: embedded dynalite at ${endpoint}${options.persist ? " (data in .data/dynalite)" : " (in memory)"}`,
      );
    } else {
      log(`DynamoDB: ${endpoint}`);
    }
    const catalog: CatalogConfig = { ...settings, endpoint };
    await prepareTable(catalog, options.seedCount, log);
    let faultControlUrl: string | undefined;
    let serverCatalog = catalog;
    if (options.faultProxy) {
      const proxy = await startFaultProxy({ target: endpoint });
      closers.push(proxy.close);
      faultControlUrl = proxy.controlUrl;
      serverCatalog = { ...catalog, endpoint: proxy.endpoint };
      log(`DynamoDB: the server goes through the fault proxy at ${proxy.endpoint} (control: ${proxy.controlUrl})`);
    }
    const server = options.server ?? "lambda";
    const publicPort = options.port === 0 ? await freePort() : options.port;
    const port = options.edge ? await freePort() : publicPort;
    const url = `http://127.0.0.1:${port}`;
    let serverPids: () => number[];
    let whenIdle: () => Promise<void> = async () => {};
    if (server === "lambda") {
      await buildLambdaIfStale(log);
      const functionUrl = await FunctionUrlServer.start({
        handler: path.join(ROOT, ".open-next", "server-functions", "default", "index.handler"),
        assetsDir: path.join(ROOT, ".open-next", "assets"),
        // On AWS the CloudFront response headers policy (sst.config.ts) adds these to what S3 answers.
        assetHeaders: STATIC_SECURITY_HEADERS,
        port,
        host: "127.0.0.1",
        invokeMode: "RESPONSE_STREAM",
        bandwidth: options.lambda?.bandwidth ?? "aws",
        concurrency: options.lambda?.concurrency,
        // As deployed (sst.config.ts): 2048 MB, 60 s.
        memoryMb: 2048,
        timeoutSeconds: 60,
        functionName: "firstbyte-server",
        runtime: deployedRuntime(),
        env: serverEnv(serverCatalog),
        log: options.lambda?.log ?? log,
      });
      closers.push(() => functionUrl.close());
      log(`Function: ${functionUrl.runtime.runtime} on Node ${functionUrl.runtime.version}`);
      serverPids = () => functionUrl.pids();
      whenIdle = () => functionUrl.whenIdle();
    } else {
      await buildIfStale(log);
      const child = startNextServer(port, serverCatalog);
      closers.push(() => stopProcess(child));
      await waitUntilServing(url, child);
      serverPids = () => (child.pid && child.exitCode === null ? [child.pid] : []);
    }
    let edgeUrl = url;
    if (options.edge) {
      const nginx = await ensureNginx(path.join(ROOT, ".cache", "edge"), log);
      const edge = await startEdgeCache(nginx, {
        port: publicPort,
        origin: url,
        dir: path.join(ROOT, ".cache", `edge-run-${publicPort}`),
      });
      closers.push(edge.close);
      edgeUrl = edge.url;
      log(`Edge: nginx (${nginx.source}) caching in front of the function, which listens on ${url}`);
    }
    return {
      url: edgeUrl,
      originUrl: url,
      dynamodbEndpoint: endpoint,
      server,
      faultControlUrl,
      serverPids,
      whenIdle,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Lambda runtime sst.config.ts deploys the server on, read from it so there is one place to change. */
export function deployedRuntime(): NodeRuntime {
  const config = readFileSync(path.join(ROOT, "sst.config.ts"), "utf8");
  const runtimes = new Set([...config.matchAll(/\bruntime:\s*"([^"]+)"/g)].map((match) => match[1] ?? ""));
  const [runtime] = runtimes;
  if (runtimes.size !== 1 || runtime === undefined || !isNodeRuntime(runtime)) {
    throw new Error(
      `sst.config.ts should name one Node.js Lambda runtime (runtime: "nodejs22.x"), found ${JSON.stringify([...runtimes])}`,
    );
  }
  return runtime;
}

/** Creates the table when missing and loads `seedCount` bikes when it is empty. */
export async function prepareTable(
  catalog: CatalogConfig,
  seedCount: number,
  log: (line: string) => void,
): Promise<void> {
  const client = createDocumentClient(catalog);
  try {
    const created = await ensureBikesTable(client, catalog.table);
    if (created === "created") log(`Table ${catalog.table}: created`);
    if (seedCount > 0 && (await isTableEmpty(client, catalog.table))) {
      log(`Table ${catalog.table}: empty, loading ${seedCount.toLocaleString("en-US")} bikes`);
      const { total } = await loadBikes(catalog, seedCount, 0, log);
      if (total !== seedCount) throw new Error(`the table holds ${total} bikes after seeding, expected ${seedCount}`);
    }
  } finally {
    client.destroy();
  }
}

/** Writes bikes start…start+count-1 with a progress bar, then counts the table. */
export async function loadBikes(
  catalog: CatalogConfig,
  count: number,
  start: number,
  log: (line: string) => void,
): Promise<{ written: number; total: number }> {
  const client = createDocumentClient(catalog);
  try {
    const bar = progressBar("Seeding", count);
    const started = performance.now();
    let written: number;
    try {
      written = await seedBikes(client, catalog.table, { count, start, onProgress: (done) => bar.update(done) });
    } finally {
      bar.stop();
    }
    const total = await countItems(client, catalog.table);
    log(
      `Table ${catalog.table}: wrote ${written.toLocaleString("en-US")} bikes in ${Math.round(performance.now() - started)} ms; the table now holds ${total.toLocaleString("en-US")}`,
    );
    if (written !== count) throw new Error(`wrote ${written} of ${count} bikes`);
    return { written, total };
  } finally {
    client.destroy();
  }
}

// What a build depends on. A change to any of these makes `npm start` rebuild.
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "packages/dynamo-pages/dist",
  "proxy.ts",
  "next.config.js",
  "tsconfig.json",
  "tsconfig.base.json",
  "package-lock.json",
];

async function hashInputs(inputs: string[]): Promise<string> {
  const hash = createHash("sha256");
  const visit = async (relative: string): Promise<void> => {
    const absolute = path.join(ROOT, relative);
    if (!existsSync(absolute)) return;
    if ((await stat(absolute)).isDirectory()) {
      // Tests are not part of the build.
      for (const entry of (await readdir(absolute)).sort())
        if (!entry.endsWith(".test.ts")) await visit(path.join(relative, entry));
    } else {
      hash
        .update(relative)
        .update("\0")
        .update(await readFile(absolute))
        .update("\0");
    }
  };
  for (const input of inputs) await visit(input);
  return hash.digest("hex");
}

export interface StaleBuild {
  what: string;
  /** Inputs beyond the app's sources (BUILD_INPUTS). */
  extraInputs: string[];
  /** A file the build produces; missing means "build". */
  output: string;
  /** Where the inputs' hash is stamped after a successful build. */
  stampFile: string;
  build: (run: (command: string, args: string[]) => Promise<void>) => Promise<void>;
  log: (line: string) => void;
}

/** Runs `build` unless `output` exists and the inputs' hash matches the one stamped by the last build. */
export async function buildIfStaleAt({ what, extraInputs, output, stampFile, build, log }: StaleBuild): Promise<void> {
  const hash = await hashInputs([...BUILD_INPUTS, ...extraInputs]);
  const stamp = existsSync(stampFile) ? (await readFile(stampFile, "utf8")).trim() : undefined;
  if (stamp === hash && existsSync(output)) {
    log(`Build (${what}): up to date`);
    return;
  }
  log(`Build (${what}): ${stamp ? "sources changed, rebuilding" : "no build yet, building"}`);
  const started = performance.now();
  await build((command, args) => run(command, args, { NEXT_TELEMETRY_DISABLED: "1" }));
  await mkdir(path.dirname(stampFile), { recursive: true });
  await writeFile(stampFile, `${hash}\n`);
  log(`Build (${what}): done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** `next build`, for `next start`. */
export function buildIfStale(log: (line: string) => void): Promise<void> {
  return buildIfStaleAt({
    what: "next build",
    extraInputs: [],
    output: path.join(ROOT, ".next", "BUILD_ID"),
    stampFile: path.join(ROOT, ".next", "firstbyte-build-inputs.sha256"),
    build: (run) => run(path.join(ROOT, "node_modules", ".bin", "next"), ["build"]),
    log,
  });
}

/** The OpenNext Lambda bundle (.open-next/), which runs `next build` itself. */
export function buildLambdaIfStale(log: (line: string) => void): Promise<void> {
  return buildIfStaleAt({
    what: "OpenNext Lambda bundle",
    extraInputs: ["open-next.config.ts", "opennext-wrapper", "scripts/build-lambda.ts"],
    output: path.join(ROOT, ".open-next", "server-functions", "default", "index.mjs"),
    stampFile: path.join(ROOT, ".open-next", "firstbyte-build-inputs.sha256"),
    build: () => buildLambda(log),
    log,
  });
}

/**
 * What the server needs to find the table, on either path, and its work budget (lib/config.ts): a
 * caller that serves whole large pages (the benchmark's 100,000 bikes) raises it in `catalog.budget`.
 */
export function serverEnv(catalog: CatalogConfig): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: catalog.endpoint ?? "",
    BIKES_TABLE: catalog.table,
    AWS_REGION: catalog.region,
    BIKES_BUDGET_BYTES: String(catalog.budget.bytes),
    BIKES_BUDGET_MS: String(catalog.budget.ms),
    BIKES_BUDGET_SCAN_REQUESTS: String(catalog.budget.scanRequests),
    BIKES_CACHE_S_MAXAGE: String(catalog.edgeCache.sMaxAgeS),
    BIKES_CACHE_STALE_WHILE_REVALIDATE: String(catalog.edgeCache.staleWhileRevalidateS),
    BIKES_CACHE_STALE_IF_ERROR: String(catalog.edgeCache.staleIfErrorS),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

export function startNextServer(
  port: number,
  catalog: CatalogConfig,
  output: "inherit" | "ignore" = "inherit",
): ChildProcess {
  return spawn(
    path.join(ROOT, "node_modules", ".bin", "next"),
    ["start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: ROOT,
      stdio: ["ignore", output, output],
      env: { ...process.env, ...serverEnv(catalog) },
    },
  );
}

export async function waitUntilServing(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  server.once("exit", (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the server exited with code ${exited} before it answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the server did not answer ${url} within ${timeoutMs / 1000} s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
