import { type ParseArgsConfig, parseArgs } from "node:util";
import { FunctionUrlConfigError, type FunctionUrlOptions } from "./options.ts";
import { FunctionUrlServer } from "./server.ts";

export const USAGE = `usage: lambda-url --handler DIR/FILE.EXPORT [--port N] [--host 127.0.0.1]
                  [--invoke-mode RESPONSE_STREAM|BUFFERED] [--bandwidth aws|off]
                  [--timeout SECONDS] [--memory MB] [--concurrency N] [--assets DIR]
                  [--strip-content-encoding] [--env KEY=VALUE ...]`;

/** Every option of the command line; a new one is a line here, in parseArguments and in USAGE. */
const OPTIONS = {
  handler: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "invoke-mode": { type: "string" },
  bandwidth: { type: "string" },
  timeout: { type: "string" },
  memory: { type: "string" },
  concurrency: { type: "string" },
  assets: { type: "string" },
  env: { type: "string", multiple: true },
  "strip-content-encoding": { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>["values"];

/**
 * node:util's parseArgs in its lenient mode, so that the messages stay this CLI's own: strict mode
 * would throw Node's wording, and would refuse a value such as "-1" that the option checks below
 * report more precisely.
 */
function readCommandLine(argv: string[]): Values {
  const { values, tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") throw new FunctionUrlConfigError(`unknown argument "${token.value}"`);
    if (token.kind === "option-terminator") throw new FunctionUrlConfigError(`unknown argument "--"`);
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (option === undefined) {
      const given = token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName;
      throw new FunctionUrlConfigError(`unknown argument "${given}"`);
    }
    if (option.type === "boolean" && token.value !== undefined)
      throw new FunctionUrlConfigError(`${token.rawName} takes no value`);
    // A following option is not a value: `--handler --port 3` lacks the handler.
    if (option.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))))
      throw new FunctionUrlConfigError(`${token.rawName} needs a value`);
  }
  return values as Values;
}

function numberArgument(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed))
    throw new FunctionUrlConfigError(`${flag} needs a number, got "${value}"`);
  return parsed;
}

function oneOf<const T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new FunctionUrlConfigError(`${flag} must be ${allowed.join(" or ")}, got "${value}"`);
}

/** Parses the command line into options; throws FunctionUrlConfigError on anything it does not accept. */
export function parseArguments(argv: string[]): FunctionUrlOptions {
  const values = readCommandLine(argv);
  if (values.handler === undefined) throw new FunctionUrlConfigError("--handler is required");
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new FunctionUrlConfigError(`--env needs KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const options: FunctionUrlOptions = {
    handler: values.handler,
    port: numberArgument("--port", values.port),
    host: values.host,
    invokeMode: oneOf("--invoke-mode", values["invoke-mode"]?.toUpperCase(), ["RESPONSE_STREAM", "BUFFERED"]),
    bandwidth: oneOf("--bandwidth", values.bandwidth, ["aws", "off"]),
    timeoutSeconds: numberArgument("--timeout", values.timeout),
    memoryMb: numberArgument("--memory", values.memory),
    concurrency: numberArgument("--concurrency", values.concurrency),
    assetsDir: values.assets,
    stripContentEncoding: values["strip-content-encoding"],
    env,
  };
  // Options not given stay absent, so the library's defaults apply.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as FunctionUrlOptions;
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  let server: FunctionUrlServer;
  try {
    server = await FunctionUrlServer.start(parseArguments(argv));
  } catch (error) {
    if (error instanceof FunctionUrlConfigError || (error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(`lambda-url: ${(error as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  console.log(`lambda-url: function URL ready at ${server.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"))) {
  void main(process.argv.slice(2));
}
