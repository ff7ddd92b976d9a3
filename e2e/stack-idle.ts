// "The previous request is done", across processes: global-setup.ts owns the local stack, the
// workers run the tests. A loopback endpoint answers GET once the stack's server runs no request
// (the Function URL emulator's own signal, which counts a function whose client left: Lambda does
// not tell it), so a test starts its fault rules and counts only after every earlier request ended.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The environment variable that carries the endpoint's URL to the workers. */
const ENV = "STACK_IDLE_URL";

/** Serves `whenIdle` on 127.0.0.1 and puts its URL in the environment; returns the closer. */
export async function serveStackIdle(whenIdle: () => Promise<void>): Promise<() => Promise<void>> {
  const server = createServer((_request, response) => {
    whenIdle().then(
      () => response.end("idle"),
      (error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env[ENV] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/**
 * Resolves once the local stack's server runs no request. Against a deployed stage (no such
 * endpoint) there is nothing to wait on, and no fault test runs there.
 */
export async function untilIdle(): Promise<void> {
  const url = process.env[ENV];
  if (!url) return;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the stack's idle signal failed: ${await response.text()}`);
}
