// Starts `npx lambda-url` on a free port with a gate the handler waits on, as a reader of this
// project would run it. Shared by the node tests and the Playwright spec.
import { spawn } from "node:child_process";
import http from "node:http";

/** An HTTP server that answers each request only when release() is called. */
export async function startGate() {
  const waiting = [];
  let arrived;
  let onArrival = new Promise((resolve) => {
    arrived = resolve;
  });
  const server = http.createServer((_request, response) => {
    waiting.push(response);
    arrived();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    /** Resolves once a request is held at the gate. */
    reached: () => onArrival,
    release() {
      for (const response of waiting.splice(0)) response.end("open");
      onArrival = new Promise((resolve) => {
        arrived = resolve;
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const response of waiting.splice(0)) response.end("closing");
        server.close(resolve);
      }),
  };
}

/** `npx lambda-url ARGS…` until it prints its URL; close() stops its process group. */
export function startLambdaUrl(args, cwd = process.cwd()) {
  const child = spawn("npx", ["--yes=false", "lambda-url", ...args, "--port", "0"], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const close = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      process.kill(-child.pid, "SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const onData = (data) => {
      output += data;
      const match = /function URL ready at (http:\/\/\S+)/.exec(output);
      if (match) {
        resolve({ url: match[1], output: () => output, close });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (data) => {
      output += data;
    });
    child.once("exit", (code) => reject(new Error(`lambda-url exited (${code}) before it was ready:\n${output}`)));
  });
}
