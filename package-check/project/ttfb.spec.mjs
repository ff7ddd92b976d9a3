// The TTFB fixture from @firstbyte/ttfb/playwright, in a browser: the first paragraph is in the DOM
// while the handler still waits at the gate, so it is there before the last one by construction.
import { expect, test } from "@firstbyte/ttfb/playwright";
import { startGate, startLambdaUrl } from "./serve.mjs";

let gate;
let server;

test.beforeAll(async () => {
  gate = await startGate();
  server = await startLambdaUrl(["./handler.mjs", "--env", `GATE_URL=${gate.url}`]);
});

test.afterAll(async () => {
  await server?.close();
  await gate?.close();
});

test("the browser shows the first paragraph before the handler writes the last", async ({ page, ttfb }) => {
  const opened = (async () => {
    await page.waitForSelector("#first", { state: "attached" });
    await gate.reached();
    expect(await page.locator("#last").count()).toBe(0);
    gate.release();
  })();
  const timing = await ttfb.navigate(`${server.url}/?gate`, { selectors: { first: "#first", last: "#last" } });
  await opened;
  expect(timing.status).toBe(200);
  expect(timing.ttfbMs).toBeLessThanOrEqual(timing.selectors.first);
  expect(timing.selectors.first).toBeLessThan(timing.selectors.last);
  expect(timing.selectors.last).toBeLessThanOrEqual(timing.loadMs);
});

test("ttfb.measure reads the same page on the wire", async ({ ttfb }) => {
  const measurement = await ttfb.measure(`${server.url}/`, { markers: { last: 'id="last"' } });
  expect(measurement.status).toBe(200);
  expect(measurement.markers.last).toBeLessThanOrEqual(measurement.totalMs);
});
