import { UsageError } from "./errors.ts";

export const USAGE = `usage: ttfb URL [--runs N] [--marker NAME=TEXT ...] [--header K:V ...] [--vs URL2] [--json] [--timeout MS]

  --runs N            requests per URL (default 5)
  --marker NAME=TEXT  report when TEXT first arrives in the body (repeatable)
  --header K:V        request header (repeatable); accept-encoding defaults to identity
  --vs URL2           also measure URL2, alternating with URL, and report URL2/URL ratios
  --json              print every run's full timeline as JSON on stdout
  --timeout MS        deadline per request (default 30000)
  --help              show this help`;

export interface CliOptions {
  url: string;
  vs: string | undefined;
  runs: number;
  markers: Record<string, string>;
  headers: Record<string, string>;
  json: boolean;
  timeoutMs: number;
}

export type ParsedArgs = { help: true } | ({ help: false } & CliOptions);

const VALUE_FLAGS = new Set(["--runs", "--marker", "--header", "--vs", "--timeout"]);
const BOOLEAN_FLAGS = new Set(["--json", "--help", "-h"]);

/** Parses the command line; throws {@link UsageError} with a one-line message on bad input. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();

  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq !== -1 ? arg.slice(0, eq) : arg;
    if (BOOLEAN_FLAGS.has(flag)) {
      if (flag !== arg) throw new UsageError(`${flag} takes no value`);
      booleans.add(flag === "-h" ? "--help" : flag);
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown option ${flag}`);
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      i += 1;
    }
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }

  if (booleans.has("--help")) return { help: true };

  if (positionals.length === 0) throw new UsageError("missing URL");
  if (positionals.length > 1)
    throw new UsageError(`expected one URL, got ${positionals.length}: ${positionals.join(" ")}`);
  for (const flag of ["--runs", "--vs", "--timeout"]) {
    if ((values.get(flag)?.length ?? 0) > 1) throw new UsageError(`${flag} given more than once`);
  }

  const url = checkUrl(positionals[0]!, "URL");
  const vsValue = values.get("--vs")?.[0];
  const vs = vsValue === undefined ? undefined : checkUrl(vsValue, "--vs");
  const runs = positiveInteger(values.get("--runs")?.[0] ?? "5", "--runs");
  const timeoutMs = positiveInteger(values.get("--timeout")?.[0] ?? "30000", "--timeout");

  const markers: Record<string, string> = {};
  for (const spec of values.get("--marker") ?? []) {
    const eq = spec.indexOf("=");
    const name = eq === -1 ? "" : spec.slice(0, eq).trim();
    const text = eq === -1 ? "" : spec.slice(eq + 1);
    if (name === "" || text === "")
      throw new UsageError(`--marker expects NAME=TEXT with both non-empty, got "${spec}"`);
    if (name in markers) throw new UsageError(`--marker ${name} given more than once`);
    markers[name] = text;
  }

  const headers: Record<string, string> = {};
  for (const spec of values.get("--header") ?? []) {
    const colon = spec.indexOf(":");
    const name = colon === -1 ? "" : spec.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header expects K:V with a valid header name, got "${spec}"`);
    }
    headers[name.toLowerCase()] = spec.slice(colon + 1).trim();
  }

  return { help: false, url, vs, runs, markers, headers, json: booleans.has("--json"), timeoutMs };
}

function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} is not a valid URL: ${value}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${what} must be an http:// or https:// URL, got ${value}`);
  }
  return value;
}

function positiveInteger(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} expects a positive integer, got "${value}"`);
  }
  return Number(value);
}
