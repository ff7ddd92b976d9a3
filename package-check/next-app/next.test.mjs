// The OpenNext bundle of a one-page Next.js app, served by `npx lambda-url`: the shell and the
// Suspense fallback arrive while the page still waits at the gate, the boundary's content after.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startGate, startLambdaUrl } from "./serve.mjs";

let gate;
let server;

before(async () => {
  gate = await startGate();
  server = await startLambdaUrl([
    "--handler",
    ".open-next/server-functions/default/index.handler",
    "--assets",
    ".open-next/assets",
    "--env",
    `GATE_URL=${gate.url}`,
  ]);
});

after(async () => {
  await server?.close();
  await gate?.close();
});

test("the shell streams before the Suspense boundary resolves", { timeout: 120_000 }, async () => {
  // identity: a compressor that does not flush per write would hold the shell back.
  const response = await fetch(`${server.url}/`, { headers: { "accept-encoding": "identity" } });
  assert.equal(response.status, 200);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes('id="waiting"')) {
    const { value, done } = await reader.read();
    assert.equal(done, false, "the body ended before the fallback");
    text += decoder.decode(value, { stream: true });
  }
  await gate.reached();
  assert.match(text, /id="shell"/);
  assert.equal(text.includes('id="late"'), false, "the boundary's content came before the gate opened");
  gate.release();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  assert.match(text, /id="late"/);
  assert.match(text, /<\/html>/);
});
