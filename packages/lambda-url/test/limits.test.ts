import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { FunctionUrlServer, PAYLOAD_LIMIT_BYTES } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

describe("Lambda limits", () => {
  const logs = logCollector();
  const servers: FunctionUrlServer[] = [];
  const start = async (options: Omit<Parameters<typeof FunctionUrlServer.start>[0], "log">) => {
    const server = await FunctionUrlServer.start({ ...options, log: logs.log });
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  test("bandwidth: the burst goes at full speed, the rest at the configured rate", async () => {
    const burstBytes = 128 * 1024;
    const bytesPerSecond = 1024 * 1024;
    const total = burstBytes + 1024 * 1024; // one second's worth beyond the burst
    const throttled = await start({ handler: fixture("streaming.sized"), bandwidth: { burstBytes, bytesPerSecond } });
    const unthrottled = await start({ handler: fixture("streaming.sized"), bandwidth: "off" });
    // Warm both up so that cold starts do not count.
    await Promise.all([request(`${throttled.url}/?bytes=1`), request(`${unthrottled.url}/?bytes=1`)]);

    const timed = async (url: string) => {
      const t0 = performance.now();
      let firstByte = 0;
      const res = await request(`${url}/?bytes=${total}`, {
        onChunk: () => {
          firstByte ||= performance.now() - t0;
        },
      });
      assert.equal(res.body.length, total);
      return { elapsed: performance.now() - t0, firstByte };
    };
    const fast = await timed(unthrottled.url);
    const slow = await timed(throttled.url);
    const expectedMs = ((total - burstBytes) / bytesPerSecond) * 1000;
    // Generous margins: the rate is what matters, not the machine's speed.
    assert.ok(slow.elapsed >= expectedMs * 0.8, `throttled took ${slow.elapsed} ms, expected about ${expectedMs} ms`);
    assert.ok(
      slow.elapsed <= expectedMs * 3 + fast.elapsed,
      `throttled took ${slow.elapsed} ms, expected about ${expectedMs} ms`,
    );
    // The burst is not held back: the first bytes come long before the end.
    assert.ok(slow.firstByte < slow.elapsed / 2, `first byte at ${slow.firstByte} ms of ${slow.elapsed} ms`);
  });

  test("reserved concurrency: beyond N busy environments, 429 TooManyRequestsException", async () => {
    const server = await start({ handler: fixture("streaming.slow"), concurrency: 2 });
    const results = await Promise.all([1, 2, 3].map(() => request(`${server.url}/?ms=1500`)));
    const statuses = results.map((res) => res.status).sort();
    assert.deepEqual(statuses, [200, 200, 429]);
    const throttled = results.find((res) => res.status === 429);
    assert.equal(throttled?.headers["x-amzn-errortype"], "TooManyRequestsException");
    assert.deepEqual(JSON.parse(throttled?.body.toString() ?? "{}"), { Message: "Rate Exceeded.", Type: "User" });
    const pids = new Set(results.filter((res) => res.status === 200).map((res) => res.body.toString()));
    assert.equal(pids.size, 2, "two environments, one invocation each");

    // Cold then warm: the next requests reuse those environments.
    const warm = await request(`${server.url}/?ms=0`);
    assert.ok(pids.has(warm.body.toString()), "served by a warm environment");
    const stats = server.stats();
    assert.equal(stats.cold, 2);
    assert.equal(stats.warm, 1);
    assert.equal(stats.throttled, 1);
    assert.equal(stats.environments, 2);
    assert.deepEqual(new Set(server.pids().map(String)), pids);
    assert.ok(logs.lines.some((line) => / GET \/ 200 \d+B \d+ms warm$/.test(line)));
  });

  test("a streamed response beyond maxResponseBytes is cut off; the next request is served", async () => {
    const server = await start({
      handler: fixture("streaming.sized"),
      bandwidth: "off",
      maxResponseBytes: 1024 * 1024,
    });
    const res = await request(`${server.url}/?bytes=${3 * 1024 * 1024}`);
    assert.equal(res.status, 200);
    assert.equal(res.complete, false);
    assert.ok(res.body.length <= 1024 * 1024);
    const next = await request(`${server.url}/?bytes=10`);
    assert.equal(next.body.length, 10);
    assert.ok(next.complete);
  });

  test("a request payload over 6 MB: 413 before the function is invoked", async () => {
    const server = await start({ handler: fixture("streaming.plain") });
    const res = await request(server.url, { method: "POST", body: Buffer.alloc(PAYLOAD_LIMIT_BYTES + 1) });
    assert.equal(res.status, 413);
    assert.equal(server.stats().invocations, 0);
  });
});
