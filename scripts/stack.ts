// The local stack in one place: DynamoDB (embedded unless DYNAMODB_ENDPOINT says otherwise), the
// Bikes table and its seed, a fresh build, and the server. `npm start` and the e2e suite both call
// startStack(), so moving the server onto the Lambda path is a change here only.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { readConfig, type CatalogConfig } from "../lib/config";
import { createDocumentClient } from "../lib/dynamo";
import { countItems, ensureBikesTable, isTableEmpty, seedBikes } from "../lib/table";
import { startEmbeddedDynamoDB } from "./embedded-dynamodb";
import { progressBar } from "./progress";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface StackOptions {
  /** Port for the app; 0 picks a free one. */
  port: number;
  /** Keep the embedded DynamoDB's data under .data/ (npm start) or in memory (tests). */
  persist: boolean;
  /** Bikes to load when the table is empty. */
  seedCount: number;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  dynamodbEndpoint: string;
  /** Process ids of the server, for memory sampling. */
  serverPid: number | undefined;
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
      const dynamodb = await startEmbeddedDynamoDB({ path: options.persist ? path.join(ROOT, ".data", "dynalite") : undefined });
      closers.push(dynamodb.close);
      endpoint = dynamodb.endpoint;
      log(`DynamoDB: embedded dynalite at ${endpoint}${options.persist ? " (data in .data/dynalite)" : " (in memory)"}`);
    } else {
      log(`DynamoDB: ${endpoint}`);
    }
    const catalog: CatalogConfig = { ...settings, endpoint };
    await prepareTable(catalog, options.seedCount, log);
    await buildIfStale(log);

    const port = options.port === 0 ? await freePort() : options.port;
    const server = startNextServer(port, catalog);
    closers.push(() => stopProcess(server));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilServing(url, server);
    return { url, dynamodbEndpoint: endpoint, serverPid: server.pid, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Creates the table when missing and loads `seedCount` bikes when it is empty. */
export async function prepareTable(catalog: CatalogConfig, seedCount: number, log: (line: string) => void): Promise<void> {
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
    log(`Table ${catalog.table}: wrote ${written.toLocaleString("en-US")} bikes in ${Math.round(performance.now() - started)} ms; the table now holds ${total.toLocaleString("en-US")}`);
    if (written !== count) throw new Error(`wrote ${written} of ${count} bikes`);
    return { written, total };
  } finally {
    client.destroy();
  }
}

// What the build depends on. A change to any of these makes `npm start` rebuild.
const BUILD_INPUTS = ["app", "components", "lib", "packages/dynamo-pages/src", "proxy.ts", "next.config.js", "tsconfig.json", "tsconfig.base.json", "package-lock.json"];
const BUILD_STAMP = path.join(ROOT, ".next", "firstbyte-build-inputs.sha256");

async function hashInputs(): Promise<string> {
  const hash = createHash("sha256");
  const visit = async (relative: string): Promise<void> => {
    const absolute = path.join(ROOT, relative);
    if (!existsSync(absolute)) return;
    if ((await stat(absolute)).isDirectory()) {
      for (const entry of (await readdir(absolute)).sort()) await visit(path.join(relative, entry));
    } else {
      hash.update(relative).update("\0").update(await readFile(absolute)).update("\0");
    }
  };
  for (const input of BUILD_INPUTS) await visit(input);
  return hash.digest("hex");
}

export async function buildIfStale(log: (line: string) => void): Promise<void> {
  const inputs = await hashInputs();
  const stamp = existsSync(BUILD_STAMP) ? (await readFile(BUILD_STAMP, "utf8")).trim() : undefined;
  if (stamp === inputs && existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log("Build: up to date");
    return;
  }
  log(stamp ? "Build: sources changed, rebuilding (next build)" : "Build: no build yet, building (next build)");
  await run(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], { NEXT_TELEMETRY_DISABLED: "1" });
  await writeFile(BUILD_STAMP, `${inputs}\n`);
}

function startNextServer(port: number, catalog: CatalogConfig): ChildProcess {
  return spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DYNAMODB_ENDPOINT: catalog.endpoint, BIKES_TABLE: catalog.table, AWS_REGION: catalog.region },
  });
}

async function waitUntilServing(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
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
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
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
