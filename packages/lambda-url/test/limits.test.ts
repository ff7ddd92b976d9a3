import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { FunctionUrlServer, PAYLOAD_LIMIT_BYTES } from "../src/index.ts";
import { fixture, logCollector, request, startGate } from "./helpers.ts";

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
    await timed(unthrottled.url);
    const slow = await timed(throttled.url);
    const expectedMs = ((total - burstBytes) / bytesPerSecond) * 1000;
    // Lower bounds only, which no slow machine can break: the bytes beyond the burst cannot come
    // faster than the rate allows, and that time is spent in the body, after its first byte (the
    // burst is not what waits). How close to the rate it stays is the bench's to measure.
    assert.ok(
      slow.elapsed >= expectedMs * 0.95,
      `throttled took ${slow.elapsed} ms, at least ${expectedMs} ms expected`,
    );
    assert.ok(
      slow.elapsed - slow.firstByte >= expectedMs * 0.95,
      `the body took ${slow.elapsed - slow.firstByte} ms after its first byte, at least ${expectedMs} ms expected`,
    );
  });

  test("reserved concurrency: beyond N busy environments, 429 TooManyRequestsException", async () => {
    const server = await start({ handler: fixture("streaming.slow"), concurrency: 2 });
    // Two functions block on the gate; a third request while they do must be refused, however long
    // the machine takes to get there.
    const gate = await startGate();
    try {
      const running = [1, 2].map(() => request(`${server.url}/?gate=${encodeURIComponent(gate.url)}`));
      await gate.arrived(2);
      const throttled = await request(`${server.url}/?ms=0`);
      gate.open();
      const results = [...(await Promise.all(running)), throttled];
      assert.deepEqual(
        results.map((res) => res.status),
        [200, 200, 429],
      );
      assert.equal(throttled.headers["x-amzn-errortype"], "TooManyRequestsException");
      assert.deepEqual(JSON.parse(throttled.body.toString()), { Message: "Rate Exceeded.", Type: "User" });
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
    } finally {
      await gate.close();
    }
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
