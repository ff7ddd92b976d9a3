import { FunctionUrlConfigError, type FunctionUrlOptions } from "./options.ts";
import { FunctionUrlServer } from "./server.ts";

export const USAGE = `usage: lambda-url --handler DIR/FILE.EXPORT [--port N] [--host 127.0.0.1]
                  [--invoke-mode RESPONSE_STREAM|BUFFERED] [--bandwidth aws|off]
                  [--timeout SECONDS] [--memory MB] [--concurrency N] [--assets DIR]
                  [--strip-content-encoding] [--env KEY=VALUE ...]`;

function numberArgument(flag: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed))
    throw new FunctionUrlConfigError(`${flag} needs a number, got "${value}"`);
  return parsed;
}

/** Parses the command line into options; throws FunctionUrlConfigError on anything it does not accept. */
export function parseArguments(argv: string[]): FunctionUrlOptions {
  const env: Record<string, string> = {};
  let handler: string | undefined;
  const options: Omit<FunctionUrlOptions, "handler"> = {};
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] ?? "";
    const [flag, inline] =
      argument.startsWith("--") && argument.includes("=")
        ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)]
        : [argument, undefined];
    if (flag === "--strip-content-encoding") {
      options.stripContentEncoding = true;
      continue;
    }
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new FunctionUrlConfigError(`${flag} needs a value`);
      i += 1;
      return value;
    };
    switch (flag) {
      case "--handler":
        handler = takeValue();
        break;
      case "--port":
        options.port = numberArgument(flag, takeValue());
        break;
      case "--host":
        options.host = takeValue();
        break;
      case "--invoke-mode": {
        const mode = takeValue().toUpperCase();
        if (mode !== "RESPONSE_STREAM" && mode !== "BUFFERED")
          throw new FunctionUrlConfigError(`--invoke-mode must be RESPONSE_STREAM or BUFFERED, got "${mode}"`);
        options.invokeMode = mode;
        break;
      }
      case "--bandwidth": {
        const value = takeValue();
        if (value !== "aws" && value !== "off")
          throw new FunctionUrlConfigError(`--bandwidth must be aws or off, got "${value}"`);
        options.bandwidth = value;
        break;
      }
      case "--timeout":
        options.timeoutSeconds = numberArgument(flag, takeValue());
        break;
      case "--memory":
        options.memoryMb = numberArgument(flag, takeValue());
        break;
      case "--concurrency":
        options.concurrency = numberArgument(flag, takeValue());
        break;
      case "--assets":
        options.assetsDir = takeValue();
        break;
      case "--env": {
        const pair = takeValue();
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new FunctionUrlConfigError(`--env needs KEY=VALUE, got "${pair}"`);
        env[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      default:
        throw new FunctionUrlConfigError(`unknown argument "${argument}"`);
    }
  }
  if (handler === undefined) throw new FunctionUrlConfigError("--handler is required");
  return { handler, ...options, env };
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
