import { type ParseArgsConfig, parseArgs } from "node:util";
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

/** Every option of the command line; a new one is a line here, in parseCliArgs and in USAGE. */
const OPTIONS = {
  runs: { type: "string" },
  marker: { type: "string", multiple: true },
  header: { type: "string", multiple: true },
  vs: { type: "string" },
  json: { type: "boolean" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>["values"];

/**
 * node:util's parseArgs in its lenient mode, with this CLI's own checks and messages on its tokens:
 * strict mode would throw Node's wording and refuse a value such as "-1" that the option checks
 * report more precisely.
 */
function readCommandLine(argv: readonly string[]): { values: Values; positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (option === undefined) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      continue;
    }
    if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    if (!("multiple" in option) && seen.has(token.name)) throw new UsageError(`--${token.name} given more than once`);
    seen.add(token.name);
  }
  return { values: values as Values, positionals };
}

/** Parses the command line; throws {@link UsageError} with a one-line message on bad input. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const { values, positionals } = readCommandLine(argv);
  if (values.help) return { help: true };

  if (positionals.length === 0) throw new UsageError("missing URL");
  if (positionals.length > 1)
    throw new UsageError(`expected one URL, got ${positionals.length}: ${positionals.join(" ")}`);
  const url = checkUrl(positionals[0]!, "URL");
  const vs = values.vs === undefined ? undefined : checkUrl(values.vs, "--vs");
  const runs = positiveInteger(values.runs ?? "5", "--runs");
  const timeoutMs = positiveInteger(values.timeout ?? "30000", "--timeout");

  const markers: Record<string, string> = {};
  for (const spec of values.marker ?? []) {
    const eq = spec.indexOf("=");
    const name = eq === -1 ? "" : spec.slice(0, eq).trim();
    const text = eq === -1 ? "" : spec.slice(eq + 1);
    if (name === "" || text === "")
      throw new UsageError(`--marker expects NAME=TEXT with both non-empty, got "${spec}"`);
    if (name in markers) throw new UsageError(`--marker ${name} given more than once`);
    markers[name] = text;
  }

  const headers: Record<string, string> = {};
  for (const spec of values.header ?? []) {
    const colon = spec.indexOf(":");
    const name = colon === -1 ? "" : spec.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header expects K:V with a valid header name, got "${spec}"`);
    }
    headers[name.toLowerCase()] = spec.slice(colon + 1).trim();
  }

  return { help: false, url, vs, runs, markers, headers, json: values.json === true, timeoutMs };
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
