import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { AllowedHosts } from "./local-only.ts";
import { isNodeRuntime, NODE_RUNTIMES, type NodeRuntime, type RuntimeNode } from "./runtime.ts";

export type InvokeMode = "RESPONSE_STREAM" | "BUFFERED";

export interface BandwidthLimit {
  /** Bytes sent at full speed before the rate applies (the bucket's capacity). */
  burstBytes: number;
  /** Refill rate of the bucket once the burst is spent. */
  bytesPerSecond: number;
}

export interface FunctionUrlOptions {
  /** `DIR/FILE.EXPORT`, like Lambda's `_HANDLER` with DIR as the task root. */
  handler: string;
  /** Port of the Function URL; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; 127.0.0.1 by default. */
  host?: string;
  invokeMode?: InvokeMode;
  /** "aws" (default): 6 MiB burst then 2 MiB/s per response; "off": unthrottled. */
  bandwidth?: "aws" | "off" | BandwidthLimit;
  /** Function timeout; 30 s by default. */
  timeoutSeconds?: number;
  /** AWS_LAMBDA_FUNCTION_MEMORY_SIZE and the V8 heap cap; 1024 by default. */
  memoryMb?: number;
  /** Reserved concurrency: at most this many execution environments; 10 by default. */
  concurrency?: number;
  /** Streamed response cap; 200 MB by default. */
  maxResponseBytes?: number;
  /** Static files answered before the function, as CloudFront behaviours would. */
  assetsDir?: string;
  /**
   * Headers added to every static file answer, as a CloudFront response headers policy adds them
   * to what S3 answers (the function's own responses are left alone). None by default.
   */
  assetHeaders?: Record<string, string>;
  /** Extra environment variables for the function. */
  env?: Record<string, string>;
  /** Strip a Content-Encoding set by the function, as Function URLs were seen to do. Off by default. */
  stripContentEncoding?: boolean;
  /** Function name used in the environment, ARN and log group; "function" by default. */
  functionName?: string;
  region?: string;
  /** Where emulator and function log lines go; console.log by default. */
  log?: (line: string) => void;
  /**
   * Lambda runtime whose Node major runs the function, e.g. "nodejs22.x"; a Node of that major
   * is fetched from the npm registry on first use when the current one differs. By default the
   * function runs on the Node running the emulator.
   */
  runtime?: NodeRuntime;
  /**
   * Host names answered besides localhost, *.localhost and IP addresses, or "all" to answer any;
   * a request naming another host gets 403 (a DNS-rebinding page cannot read the server).
   */
  allowedHosts?: readonly string[] | "all";
}

/** A bad option or argument: reported as one line, never a stack trace. */
export class FunctionUrlConfigError extends Error {
  override name = "FunctionUrlConfigError";
}

export interface HandlerLocation {
  /** LAMBDA_TASK_ROOT */
  taskRoot: string;
  /** _HANDLER relative to the task root: `file.export` */
  handler: string;
  file: string;
}

export interface ResolvedOptions {
  handler: HandlerLocation;
  port: number;
  host: string;
  invokeMode: InvokeMode;
  bandwidth: BandwidthLimit | null;
  timeoutMs: number;
  memoryMb: number;
  concurrency: number;
  maxResponseBytes: number;
  assetsDir: string | null;
  assetHeaders: Record<string, string>;
  env: Record<string, string>;
  stripContentEncoding: boolean;
  functionName: string;
  region: string;
  log: (line: string) => void;
  /** null: the Node running the emulator. */
  runtime: NodeRuntime | null;
  allowedHosts: AllowedHosts;
}

/** What the execution environments are started with: the options and the Node that runs them. */
export interface EnvironmentOptions extends ResolvedOptions {
  node: RuntimeNode;
}

const MiB = 1024 * 1024;

/** The AWS runtime emulator's model of Function URL streaming bandwidth (docs/lambda-streaming.md §2). */
export const AWS_BANDWIDTH: BandwidthLimit = { burstBytes: 6 * MiB, bytesPerSecond: 2 * MiB };
/** 200 MB per streamed response since July 2025 (docs/lambda-streaming.md §2). */
export const DEFAULT_MAX_RESPONSE_BYTES = 200 * MiB;
/** Request and buffered response payloads: 6 MB (docs/lambda-streaming.md §2). */
export const PAYLOAD_LIMIT_BYTES = 6 * MiB;
/** Lambda's hard ceiling: 15 minutes. */
const MAX_TIMEOUT_SECONDS = 900;

export const DEFAULTS = {
  port: 0,
  host: "127.0.0.1",
  invokeMode: "RESPONSE_STREAM" as InvokeMode,
  // Lambda's own default is 3 s, too short for server-rendered pages; 30 s matches
  // CloudFront's default origin response timeout in front of the URL (docs/lambda-streaming.md §3).
  timeoutSeconds: 30,
  memoryMb: 1024,
  concurrency: 10,
  functionName: "function",
};

const HANDLER_EXPRESSION = /^([^.]+)\.(.+)$/;
const MODULE_EXTENSIONS = ["", ".js", ".mjs", ".cjs"];

/**
 * `DIR/index.handler` → task root DIR, `_HANDLER` `index.handler`. aws-lambda-ric tries the file
 * as given, then with .js, .mjs, .cjs; checking the same list here turns a typo into a clear error
 * before any process starts instead of an init failure at the first request.
 */
export function resolveHandler(handler: string, cwd = process.cwd()): HandlerLocation {
  const absolute = path.resolve(cwd, handler);
  const taskRoot = path.dirname(absolute);
  const base = path.basename(absolute);
  const match = HANDLER_EXPRESSION.exec(base);
  if (!match) {
    throw new FunctionUrlConfigError(`handler "${handler}" must look like DIR/FILE.EXPORT, e.g. dist/index.handler`);
  }
  const moduleName = match[1] ?? "";
  const candidates = MODULE_EXTENSIONS.map((ext) => path.join(taskRoot, moduleName + ext));
  const file = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!file) {
    throw new FunctionUrlConfigError(
      `handler "${handler}": no file ${path.join(taskRoot, moduleName)}{,.js,.mjs,.cjs}`,
    );
  }
  return { taskRoot, handler: base, file };
}

function positiveInteger(
  value: number | undefined,
  fallback: number,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new FunctionUrlConfigError(`${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

function resolveBandwidth(bandwidth: FunctionUrlOptions["bandwidth"]): BandwidthLimit | null {
  if (bandwidth === undefined || bandwidth === "aws") return AWS_BANDWIDTH;
  if (bandwidth === "off") return null;
  if (typeof bandwidth === "object" && bandwidth.burstBytes >= 0 && bandwidth.bytesPerSecond > 0) {
    return { burstBytes: bandwidth.burstBytes, bytesPerSecond: bandwidth.bytesPerSecond };
  }
  throw new FunctionUrlConfigError(`bandwidth must be "aws", "off" or {burstBytes >= 0, bytesPerSecond > 0}`);
}

function resolveAllowedHosts(names: FunctionUrlOptions["allowedHosts"]): AllowedHosts {
  if (names === "all") return "all";
  const allowed = new Set<string>();
  for (const name of names ?? []) {
    // A bare host name: no port, scheme or path (the port is the server's own).
    if (typeof name !== "string" || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(name)) {
      throw new FunctionUrlConfigError(
        `allowed host must be a host name such as dev.example.test, got "${String(name)}"`,
      );
    }
    allowed.add(name.toLowerCase());
  }
  return allowed;
}

export function resolveOptions(options: FunctionUrlOptions): ResolvedOptions {
  if (typeof options.handler !== "string" || options.handler === "") {
    throw new FunctionUrlConfigError("handler is required (DIR/FILE.EXPORT)");
  }
  const port = options.port ?? DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FunctionUrlConfigError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const invokeMode = options.invokeMode ?? DEFAULTS.invokeMode;
  if (invokeMode !== "RESPONSE_STREAM" && invokeMode !== "BUFFERED") {
    throw new FunctionUrlConfigError(`invokeMode must be RESPONSE_STREAM or BUFFERED, got ${String(invokeMode)}`);
  }
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  if (!(timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
    throw new FunctionUrlConfigError(
      `timeout must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds, got ${String(timeoutSeconds)}`,
    );
  }
  // Lambda accepts 128 MB to 10,240 MB of memory.
  const memoryMb = positiveInteger(options.memoryMb, DEFAULTS.memoryMb, "memory", 10240);
  if (memoryMb < 128) throw new FunctionUrlConfigError(`memory must be at least 128 MB, got ${memoryMb}`);
  const concurrency = positiveInteger(options.concurrency, DEFAULTS.concurrency, "concurrency", 1000);
  const maxResponseBytes = positiveInteger(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, "maxResponseBytes");
  let assetsDir: string | null = null;
  if (options.assetsDir !== undefined) {
    assetsDir = path.resolve(options.assetsDir);
    if (!existsSync(assetsDir) || !statSync(assetsDir).isDirectory()) {
      throw new FunctionUrlConfigError(`assets directory ${assetsDir} does not exist`);
    }
  }
  const assetHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.assetHeaders ?? {})) {
    // RFC 9110 §5.1 token for the name; no control characters (CR/LF would split the header) in the value.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new FunctionUrlConfigError(`bad asset header name "${name}"`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(String(value)))
      throw new FunctionUrlConfigError(`asset header ${name} has a control character in its value`);
    assetHeaders[name.toLowerCase()] = String(value);
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new FunctionUrlConfigError(`bad environment variable name "${key}"`);
    env[key] = String(value);
  }
  const functionName = options.functionName ?? DEFAULTS.functionName;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
    throw new FunctionUrlConfigError(`function name must be 1-64 letters, digits, - or _, got "${functionName}"`);
  }
  const runtime = options.runtime ?? null;
  if (runtime !== null && !isNodeRuntime(runtime)) {
    throw new FunctionUrlConfigError(
      `runtime must be one of ${Object.keys(NODE_RUNTIMES).join(", ")}, got "${String(runtime)}"`,
    );
  }
  return {
    allowedHosts: resolveAllowedHosts(options.allowedHosts),
    handler: resolveHandler(options.handler),
    port,
    host: options.host ?? DEFAULTS.host,
    invokeMode,
    bandwidth: resolveBandwidth(options.bandwidth),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    memoryMb,
    concurrency,
    maxResponseBytes,
    assetsDir,
    assetHeaders,
    env,
    stripContentEncoding: options.stripContentEncoding ?? false,
    functionName,
    region: options.region ?? "us-east-1",
    log: options.log ?? ((line) => console.log(line)),
    runtime,
  };
}
