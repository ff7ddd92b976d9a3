import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

describe("InvokeMode BUFFERED", () => {
  const logs = logCollector();
  let server: FunctionUrlServer;
  before(async () => {
    server = await FunctionUrlServer.start({
      handler: fixture("buffered.handler"),
      invokeMode: "BUFFERED",
      log: logs.log,
    });
  });
  after(() => server.close());

  test("{statusCode, headers, cookies, body} is mapped to the response", async () => {
    const res = await request(`${server.url}/?shape=mapped`);
    assert.equal(res.status, 201);
    assert.equal(res.headers["content-type"], "text/plain");
    assert.equal(res.headers["x-mapped"], "yes");
    assert.deepEqual(res.headers["set-cookie"], ["m=1; Path=/", "n=2"]);
    assert.equal(res.headers["content-length"], String("mapped body".length));
    assert.equal(res.body.toString(), "mapped body");
  });

  test("isBase64Encoded bodies are decoded", async () => {
    const res = await request(`${server.url}/?shape=binary`);
    assert.equal(res.status, 200);
    assert.deepEqual([...res.body], [0, 1, 2, 250, 255]);
  });

  test("a plain object or string result is a 200 JSON body", async () => {
    const object = await request(server.url);
    assert.equal(object.status, 200);
    assert.equal(object.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(object.body.toString()), { hello: "world" });
    const text = await request(`${server.url}/?shape=string`);
    assert.equal(text.status, 200);
    assert.equal(JSON.parse(text.body.toString()), "just a string");
  });

  test("a result over 6 MB: 502, and the environment keeps serving", async () => {
    const res = await request(`${server.url}/?shape=big`);
    assert.equal(res.status, 502);
    assert.ok(logs.lines.some((line) => line.includes("response exceeds 6291456 bytes")));
    const next = await request(`${server.url}/?shape=mapped`);
    assert.equal(next.status, 201);
  });

  test("a streamified handler behind a BUFFERED URL is collected and sent whole", async () => {
    const streaming = await FunctionUrlServer.start({
      handler: fixture("streaming.withPrelude"),
      invokeMode: "BUFFERED",
      log: logs.log,
    });
    try {
      const res = await request(streaming.url);
      assert.equal(res.status, 201);
      assert.deepEqual(res.headers["set-cookie"], ["a=1; Path=/", "b=2; HttpOnly", "c=3; Max-Age=60"]);
      assert.equal(res.headers["content-length"], String("one\ntwo\nthree\n".length));
      assert.equal(res.body.toString(), "one\ntwo\nthree\n");
    } finally {
      await streaming.close();
    }
  });
});
