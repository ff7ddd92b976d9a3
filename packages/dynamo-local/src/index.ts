/// <reference path="./dynalite.d.ts" />
// An embedded DynamoDB engine (dynalite) on a random loopback port: the default for `npm start` and
// the tests, so the project runs with no AWS account. See docs/decisions/001-embedded-dynalite.md.
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import { refuseForeign } from "./local-only.ts";

export interface EmbeddedDynamoDB {
  endpoint: string;
  close(): Promise<void>;
}

/** `path` persists tables in a LevelDB folder; without it everything lives in memory. */
export async function startEmbeddedDynamoDB(options: { path?: string } = {}): Promise<EmbeddedDynamoDB> {
  if (options.path) await mkdir(options.path, { recursive: true });
  // createTableMs: 0 — dynalite's default keeps a new table CREATING for 500 ms, and the SDK's
  // waiter then sleeps its full minimum delay (docs/local-setup.md: 20 s).
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Only this machine's programs: no web page, no foreign Host (src/local-only.ts).
  const [answer] = server.listeners("request") as ((...args: Parameters<typeof refuseForeign>) => void)[];
  if (answer === undefined) throw new Error("dynalite's server has no request handler");
  server.removeAllListeners("request");
  server.on("request", (request, response) => {
    if (!refuseForeign(request, response)) answer(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        // dynalite closes its LevelDB store on the server's "close" event.
        server.close(() => resolve());
      }),
  };
}

export type { Fault, FaultControl, FaultProxy, FaultProxyState, FaultRule, RequestCounts } from "./fault-proxy.ts";
export { CONTROL_PATH, checkFaultRules, FaultRuleError, faultProxyClient, startFaultProxy } from "./fault-proxy.ts";
