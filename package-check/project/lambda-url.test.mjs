// lambda-url and ttfb from their tarballs, run with plain Node: the handler's first write reaches
// the reader while the handler still waits at the gate, i.e. before its last write.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { startGate, startLambdaUrl } from "./serve.mjs";

const run = promisify(execFile);
let gate;
let server;

before(async () => {
  gate = await startGate();
  server = await startLambdaUrl(["./handler.mjs", "--env", `GATE_URL=${gate.url}`]);
});

after(async () => {
  await server?.close();
  await gate?.close();
});

test("npx lambda-url streams: the first chunk arrives before the handler's last write", {
  timeout: 60_000,
}, async () => {
  const response = await fetch(`${server.url}/?gate`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  // Buffering would hold this read until the gate opens, which happens only after it: the test
  // would then end at its timeout instead of passing.
  while (!text.includes('id="first"')) {
    const { value, done } = await reader.read();
    assert.equal(done, false, "the body ended before the first paragraph");
    text += decoder.decode(value, { stream: true });
  }
  await gate.reached();
  assert.equal(text.includes('id="last"'), false, "the last paragraph came before the gate opened");
  gate.release();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  assert.match(text, /<p id="first">first<\/p><p id="last">last<\/p><\/body><\/html>$/);
});

test("npx ttfb measures the same URL: status, markers in order, JSON report", { timeout: 60_000 }, async () => {
  const { stdout } = await run(
    "npx",
    [
      "--yes=false",
      "ttfb",
      `${server.url}/`,
      "--runs",
      "2",
      "--marker",
      'first=id="first"',
      "--marker",
      'last=id="last"',
      "--json",
    ],
    { timeout: 50_000 },
  );
  const report = JSON.parse(stdout);
  assert.equal(report.url, `${server.url}/`);
  assert.equal(report.runs.length, 2);
  for (const measurement of report.runs) {
    assert.equal(measurement.status, 200);
    assert.ok(measurement.ttfbMs <= measurement.markers.first, "first byte no later than the first marker");
    assert.ok(measurement.markers.first <= measurement.markers.last, "first marker no later than the last");
    assert.ok(measurement.markers.last <= measurement.totalMs);
  }
  assert.equal(report.summary.ttfbMs.n, 2);
});

test("npx lambda-url answers a bad handler with exit 2 and its usage", async () => {
  const failed = await run("npx", ["--yes=false", "lambda-url", "./missing.mjs"]).then(
    () => null,
    (error) => error,
  );
  assert.ok(failed, "lambda-url accepted a handler file that does not exist");
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /lambda-url: handler "\.\/missing\.handler": no file/);
});
