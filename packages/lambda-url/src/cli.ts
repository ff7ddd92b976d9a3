import { type ParseArgsConfig, parseArgs } from "node:util";
import { DEFAULTS, FunctionUrlConfigError, type FunctionUrlOptions } from "./options.ts";
import { NODE_RUNTIMES, type NodeRuntime } from "./runtime.ts";
import { FunctionUrlServer } from "./server.ts";

export const USAGE = `usage: lambda-url --handler DIR/FILE.EXPORT [--port N] [--host 127.0.0.1]
       lambda-url FILE.mjs [options]   (the same as --handler FILE.handler)
                  [--invoke-mode RESPONSE_STREAM|BUFFERED] [--bandwidth aws|off]
                  [--timeout SECONDS] [--memory MB] [--concurrency N] [--assets DIR]
                  [--asset-header NAME:VALUE ...] [--strip-content-encoding] [--env KEY=VALUE ...]
                  [--runtime ${Object.keys(NODE_RUNTIMES).join("|")}] [--allowed-host NAME ...]
       lambda-url invoke (--handler DIR/FILE.EXPORT [--runtime R] [--env KEY=VALUE ...]
                          [--timeout SECONDS] [--memory MB] | --url URL)
                  [--payload JSON] [--function-name NAME] [--buffered] [--tail]`;

export const HELP = `${USAGE}

Serves the handler as a Lambda Function URL (and the Lambda Invoke API) on 127.0.0.1.
  --runtime R        run the function on the Node major of Lambda runtime R, installed from the
                     npm registry into ~/.cache/lambda-url on first use (LAMBDA_URL_CACHE moves
                     it); default: the Node running lambda-url. If that Node cannot be had, one
                     line says so at start and the current Node runs the function.
  --invoke-mode      RESPONSE_STREAM (default) or BUFFERED, as the Function URL's InvokeMode
  --bandwidth        aws (default: 6 MiB at full speed, then 2 MiB/s) or off
  --timeout          function timeout in seconds (default 30, at most 900)
  --memory           function memory in MB (default 1024); the V8 heap gets 90% of it
  --concurrency      reserved concurrency: execution environments at most (default 10)
  --assets DIR       static files answered before the function, as CloudFront would
  --asset-header NAME:VALUE
                     a header on every static file answer, as a CloudFront response headers
                     policy would add (repeatable)
  --env KEY=VALUE    an environment variable for the function (repeatable)
  --allowed-host NAME
                     answer this Host name too (repeatable; "all" answers any). By default only
                     localhost, *.localhost and IP addresses: other names get 403 (DNS rebinding)

invoke: calls the handler once through the Lambda Invoke API, as @aws-sdk/client-lambda does,
and prints the response to stdout as it arrives (InvokeWithResponseStream; --buffered: Invoke).
  --handler ...      in a fresh emulator (function logs go to stderr), or
  --url URL          against a running one (its --function-name if not "function")
  --payload JSON     the event (default {})
  --tail             print the last 4 KB of the function's log (LogType Tail) to stderr
Exits 1 when the function failed (its error on stderr), 2 on bad arguments.`;

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
  "asset-header": { type: "string", multiple: true },
  env: { type: "string", multiple: true },
  "strip-content-encoding": { type: "boolean" },
  runtime: { type: "string" },
  "allowed-host": { type: "string", multiple: true },
} as const satisfies ParseArgsConfig["options"];

/** The options of `lambda-url invoke`. */
const INVOKE_OPTIONS = {
  handler: { type: "string" },
  url: { type: "string" },
  payload: { type: "string" },
  "function-name": { type: "string" },
  buffered: { type: "boolean" },
  tail: { type: "boolean" },
  runtime: { type: "string" },
  env: { type: "string", multiple: true },
  timeout: { type: "string" },
  memory: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

type Values<O extends ParseArgsConfig["options"]> = ReturnType<
  typeof parseArgs<{ options: O; strict: true }>
>["values"];

/**
 * node:util's parseArgs in its lenient mode, so that the messages stay this CLI's own: strict mode
 * would throw Node's wording, and would refuse a value such as "-1" that the option checks below
 * report more precisely.
 */
function readCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O): Values<O> {
  const { values, tokens } = parseArgs({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "positional") throw new FunctionUrlConfigError(`unknown argument "${token.value}"`);
    if (token.kind === "option-terminator") throw new FunctionUrlConfigError(`unknown argument "--"`);
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
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
  return values as Values<O>;
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

function headerPairs(pairs: string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(":");
    if (colon <= 0) throw new FunctionUrlConfigError(`--asset-header needs NAME:VALUE, got "${pair}"`);
    headers[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return headers;
}

function envPairs(pairs: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new FunctionUrlConfigError(`--env needs KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function runtimeArgument(value: string | undefined): NodeRuntime | undefined {
  return oneOf("--runtime", value, Object.keys(NODE_RUNTIMES) as NodeRuntime[]);
}

function allowedHostsArgument(names: string[] | undefined): FunctionUrlOptions["allowedHosts"] {
  if (names === undefined) return undefined;
  return names.includes("all") ? "all" : names;
}

/** `lambda-url ./handler.mjs` names a file whose export is `handler`, Lambda's usual name. */
function handlerFromFile(file: string): string {
  const match = /^(.+)\.[mc]?js$/.exec(file);
  if (!match)
    throw new FunctionUrlConfigError(`"${file}" is not a .js, .mjs or .cjs file (or use --handler DIR/FILE.EXPORT)`);
  return `${match[1]}.handler`;
}

/** Parses the command line into options; throws FunctionUrlConfigError on anything it does not accept. */
export function parseArguments(argv: string[]): FunctionUrlOptions {
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith("-")) {
    if (rest.some((arg) => arg === "--handler" || arg.startsWith("--handler=")))
      throw new FunctionUrlConfigError(`give the handler once: "${first}" or --handler`);
    return parseArguments(["--handler", handlerFromFile(first), ...rest]);
  }
  const values = readCommandLine(argv, OPTIONS);
  if (values.handler === undefined) throw new FunctionUrlConfigError("--handler is required");
  const env = envPairs(values.env);
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
    assetHeaders: headerPairs(values["asset-header"]),
    stripContentEncoding: values["strip-content-encoding"],
    runtime: runtimeArgument(values.runtime),
    allowedHosts: allowedHostsArgument(values["allowed-host"]),
    env,
  };
  // Options not given stay absent, so the library's defaults apply.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as FunctionUrlOptions;
}

export interface InvokeArguments {
  /** A fresh emulator for this handler, or the URL of a running one. */
  target: { server: FunctionUrlOptions } | { url: string };
  /** The event, as JSON text. */
  payload: string;
  functionName: string;
  buffered: boolean;
  tail: boolean;
}

/** Parses `lambda-url invoke …` (the arguments after `invoke`). */
export function parseInvokeArguments(argv: string[]): InvokeArguments {
  const values = readCommandLine(argv, INVOKE_OPTIONS);
  if ((values.handler === undefined) === (values.url === undefined))
    throw new FunctionUrlConfigError("invoke needs --handler or --url (one of them)");
  const payload = values.payload ?? "{}";
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new FunctionUrlConfigError(`--payload is not JSON: ${(error as Error).message}`);
  }
  let target: InvokeArguments["target"];
  if (values.url !== undefined) {
    for (const flag of ["runtime", "env", "timeout", "memory"] as const)
      if (values[flag] !== undefined)
        throw new FunctionUrlConfigError(`--${flag} applies to --handler (a running emulator has its own)`);
    if (!/^https?:\/\/[^/]+\/?$/.test(values.url))
      throw new FunctionUrlConfigError(`--url must look like http://127.0.0.1:PORT, got "${values.url}"`);
    target = { url: values.url.replace(/\/$/, "") };
  } else {
    const server: FunctionUrlOptions = {
      handler: values.handler ?? "",
      timeoutSeconds: numberArgument("--timeout", values.timeout),
      memoryMb: numberArgument("--memory", values.memory),
      runtime: runtimeArgument(values.runtime),
      functionName: values["function-name"],
      env: envPairs(values.env),
    };
    target = {
      server: Object.fromEntries(
        Object.entries(server).filter(([, value]) => value !== undefined),
      ) as FunctionUrlOptions,
    };
  }
  return {
    target,
    payload,
    functionName: values["function-name"] ?? DEFAULTS.functionName,
    buffered: values.buffered ?? false,
    tail: values.tail ?? false,
  };
}

function usageError(message: string): never {
  process.stderr.write(`lambda-url: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/**
 * `lambda-url invoke`: one call through the real SDK client, its output written to stdout as each
 * PayloadChunk arrives. The SDK is loaded here only, so serving never pays for it.
 */
async function invokeMain(argv: string[]): Promise<void> {
  let parsed: InvokeArguments;
  try {
    parsed = parseInvokeArguments(argv);
  } catch (error) {
    if (error instanceof FunctionUrlConfigError) usageError(error.message);
    throw error;
  }
  let server: FunctionUrlServer | null = null;
  try {
    if ("server" in parsed.target) {
      server = await FunctionUrlServer.start({
        ...parsed.target.server,
        port: 0,
        // stdout carries the function's response only.
        log: (line) => process.stderr.write(`${line}\n`),
      });
    }
  } catch (error) {
    if (error instanceof FunctionUrlConfigError) usageError(error.message);
    throw error;
  }
  const endpoint = server?.url ?? ("url" in parsed.target ? parsed.target.url : "");
  const { InvokeCommand, InvokeWithResponseStreamCommand, LambdaClient } = await import("@aws-sdk/client-lambda");
  const client = new LambdaClient({
    endpoint,
    region: "us-east-1",
    // The emulator does not check signatures; the SDK needs something to sign with.
    credentials: { accessKeyId: "lambda-url", secretAccessKey: "lambda-url" },
    maxAttempts: 1,
  });
  const request = {
    FunctionName: parsed.functionName,
    Payload: Buffer.from(parsed.payload),
    LogType: parsed.tail ? ("Tail" as const) : ("None" as const),
  };
  let failed = false;
  const report = (errorCode: string | undefined, details: string | undefined, logResult: string | undefined) => {
    if (logResult) process.stderr.write(Buffer.from(logResult, "base64"));
    if (errorCode) {
      failed = true;
      process.stderr.write(`lambda-url invoke: the function failed: ${errorCode}: ${details ?? ""}\n`);
    }
  };
  try {
    if (parsed.buffered) {
      const response = await client.send(new InvokeCommand(request));
      if (response.Payload) await writeOut(response.Payload);
      let details: string | undefined;
      if (response.FunctionError && response.Payload) details = Buffer.from(response.Payload).toString("utf8");
      report(response.FunctionError, details, response.LogResult);
    } else {
      const response = await client.send(new InvokeWithResponseStreamCommand(request));
      for await (const event of response.EventStream ?? []) {
        if (event.PayloadChunk?.Payload) await writeOut(event.PayloadChunk.Payload);
        if (event.InvokeComplete) {
          const { ErrorCode, ErrorDetails, LogResult } = event.InvokeComplete;
          report(ErrorCode, ErrorDetails, LogResult);
        }
      }
    }
  } catch (error) {
    failed = true;
    const { name, message } = error as Error;
    process.stderr.write(
      `lambda-url invoke: ${endpoint}: ${name}: ${message || (error as NodeJS.ErrnoException).code}\n`,
    );
  } finally {
    client.destroy();
    await server?.close();
  }
  process.exit(failed ? 1 : 0);
}

function writeOut(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(bytes)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return;
  }
  if (argv[0] === "invoke") {
    await invokeMain(argv.slice(1));
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
  console.log(
    `lambda-url: function URL ready at ${server.url} (${server.runtime.runtime}, Node ${server.runtime.version})`,
  );
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
