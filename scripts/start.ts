// `npm start`: the whole local stack from one command, stopped cleanly by Ctrl-C or SIGTERM.

import { startStack } from "../harness/stack";
import { ConfigError, readStartSettings } from "../lib/config";

async function main(): Promise<void> {
  const settings = readStartSettings();
  const stack = await startStack({ port: settings.port, persist: true, seedCount: settings.seedCount, edge: true });
  const localUrl = stack.url.replace("127.0.0.1", "localhost");
  console.log(
    `\nFirstbyte is running at ${localUrl}\n  side by side:     ${localUrl}/compare\n  streamed catalog: ${localUrl}/bikes\n  buffered catalog: ${localUrl}/bikes/buffered\n  the function without the edge cache: ${stack.originUrl}\nPress Ctrl-C to stop.`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(
    `npm start failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
