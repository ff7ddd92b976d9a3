import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

describe("failures", () => {
  const logs = logCollector();
  let server: FunctionUrlServer;
  let shortTimeout: FunctionUrlServer;
  before(async () => {
    server = await FunctionUrlServer.start({
      handler: fixture("failures.handler"),
      bandwidth: "off",
      concurrency: 1,
      log: logs.log,
    });
    shortTimeout = await FunctionUrlServer.start({
      handler: fixture("failures.handler"),
      timeoutSeconds: 1,
      concurrency: 1,
      log: logs.log,
    });
  });
  after(async () => {
    await Promise.all([server.close(), shortTimeout.close()]);
  });

  test("an error after the first write: status already sent, body cut off, next request served", async () => {
    const res = await request(`${server.url}/?fail=mid`);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "partial|");
    assert.equal(res.complete, false, "the body must not end as if it were whole");
    assert.ok(logs.lines.some((line) => line.includes("truncated: RangeError: broke mid-stream")));
    const next = await request(server.url);
    assert.equal(next.status, 200);
    assert.match(next.body.toString(), /^partial\|ok:\d+$/);
    assert.equal(server.stats().environments, 1, "a function error does not end the environment");
  });

  test("a throw before any write: 502 with a JSON Message", async () => {
    const res = await request(`${server.url}/?fail=early`);
    assert.equal(res.status, 502);
    assert.equal(res.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(res.body.toString()), { Message: "Internal Server Error" });
    assert.ok(logs.lines.some((line) => line.includes("TypeError: broke before writing")));
  });

  test("a crash mid-stream: truncated body, the environment is replaced", async () => {
    const before = await request(server.url);
    const oldPid = before.body.toString().split(":")[1];
    const res = await request(`${server.url}/?fail=crash`);
    assert.equal(res.body.toString(), "partial|");
    assert.equal(res.complete, false);
    const next = await request(server.url);
    assert.equal(next.status, 200);
    const newPid = next.body.toString().split(":")[1];
    assert.notEqual(newPid, oldPid);
    assert.ok(server.stats().cold >= 2);
  });

  test("timeout after the first write: truncated, environment killed and replaced", async () => {
    const res = await request(`${shortTimeout.url}/?fail=hang`);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), "partial|");
    assert.equal(res.complete, false);
    assert.ok(logs.lines.some((line) => line.includes("Task timed out after 1.00 seconds")));
    const next = await request(shortTimeout.url);
    assert.equal(next.status, 200);
    assert.equal(shortTimeout.stats().timeouts, 1);
    assert.equal(shortTimeout.stats().cold, 2);
  });

  test("timeout before any write: 502", async () => {
    const res = await request(`${shortTimeout.url}/?fail=hang-early`);
    assert.equal(res.status, 502);
    assert.equal(shortTimeout.stats().timeouts, 2);
    const pids = shortTimeout.pids();
    assert.equal(pids.length, 0, "the timed-out environment is gone");
  });

  test("a header the function cannot send: 502, and the environment keeps serving", async () => {
    const bad = await FunctionUrlServer.start({
      handler: fixture("failures.badHeader"),
      concurrency: 1,
      log: logs.log,
    });
    try {
      const res = await request(bad.url);
      assert.equal(res.status, 502);
      assert.deepEqual(JSON.parse(res.body.toString()), { Message: "Internal Server Error" });
      assert.ok(logs.lines.some((line) => line.includes("invalid response headers")));
      assert.equal((await request(bad.url)).status, 502);
      assert.equal(bad.stats().cold, 1);
    } finally {
      await bad.close();
    }
  });

  test("a buffered handler that throws (posts /error): 502", async () => {
    const buffered = await FunctionUrlServer.start({ handler: fixture("failures.bufferedThrow"), log: logs.log });
    try {
      const res = await request(buffered.url);
      assert.equal(res.status, 502);
      assert.ok(logs.lines.some((line) => line.includes("Error: buffered failure")));
    } finally {
      await buffered.close();
    }
  });
});
