import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { FunctionUrlServer } from "../src/index.ts";
import { delay, fixture, logCollector, request, startGate } from "./helpers.ts";

describe("RESPONSE_STREAM through aws-lambda-ric", () => {
  const logs = logCollector();
  const servers: FunctionUrlServer[] = [];
  const start = async (handler: string) => {
    const server = await FunctionUrlServer.start({ handler: fixture(handler), bandwidth: "off", log: logs.log });
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  test("HttpResponseStream.from: status, headers, one Set-Cookie per cookie, chunked body", async () => {
    const server = await start("streaming.withPrelude");
    const res = await request(`${server.url}/some/path?x=1`);
    assert.equal(res.status, 201);
    assert.equal(res.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(res.headers["x-raw-path"], "/some/path");
    assert.deepEqual(res.headers["set-cookie"], ["a=1; Path=/", "b=2; HttpOnly", "c=3; Max-Age=60"]);
    assert.equal(res.headers["transfer-encoding"], "chunked");
    assert.equal(res.headers["content-length"], undefined);
    assert.equal(res.body.toString(), "one\ntwo\nthree\n");
    assert.ok(res.complete);
    // That each write reaches the client as it happens is proved by a gate below, not by the chunk
    // count of writes 40 ms apart, which a busy machine may read in one piece.
  });

  test("a prelude and delimiter split across odd chunks, as OpenNext writes them", async () => {
    const server = await start("streaming.splitPrelude");
    const res = await request(server.url);
    assert.equal(res.status, 203);
    assert.equal(res.headers["x-split"], "yes");
    assert.equal(res.headers["content-type"], "text/html");
    assert.deepEqual(res.headers["set-cookie"], ["s=1"]);
    assert.deepEqual(res.body, Buffer.concat([Buffer.from("<p>body-1</p><p>"), Buffer.alloc(8), Buffer.from("</p>")]));
  });

  test("no prelude: 200 with the function's content type and the raw body", async () => {
    const server = await start("streaming.plain");
    const res = await request(server.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/csv");
    assert.equal(res.body.toString(), "a,b\n1,2\n");
  });

  test("from() then end(data) sends no prelude: answered defensively as a 200 body", async () => {
    const server = await start("streaming.fromThenEnd");
    const res = await request(server.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-lost"], undefined);
    assert.equal(res.body.toString(), "only data");
  });

  test("each write reaches the client before the handler's next write happens", async () => {
    // A short timeout: a relay that buffered would deadlock the handler on the gate below.
    const server = await FunctionUrlServer.start({
      handler: fixture("streaming.gated"),
      timeoutSeconds: 5,
      log: logs.log,
    });
    servers.push(server);
    const order: string[] = [];
    let openGate: (() => void) | undefined;
    const gateOpened = new Promise<void>((resolve) => (openGate = resolve));
    // The handler blocks on this URL before its second write; it is answered only once the test
    // has seen the first chunk, so a relay that buffered would deadlock into a timeout instead.
    const gate = http.createServer((_req, res) => {
      void gateOpened.then(() => {
        order.push("gate-answered");
        res.end("open");
      });
    });
    await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`;
    try {
      const res = await request(`${server.url}/?gate=${encodeURIComponent(gateUrl)}`, {
        onChunk: (_chunk, soFar) => {
          const text = soFar.toString();
          if (text === "first|") {
            order.push("first-received");
            openGate?.();
          }
        },
      });
      assert.equal(res.body.toString(), "first|after-gate:open|last");
      assert.ok(res.complete);
      assert.deepEqual(order, ["first-received", "gate-answered"]);
    } finally {
      gate.closeAllConnections();
      await new Promise((resolve) => gate.close(resolve));
    }
  });

  test("whenIdle waits for a function whose client left, and resolves once it has finished", async () => {
    const server = await start("streaming.gated");
    await server.whenIdle(); // nothing running yet: at once
    const gate = await startGate();
    const order: string[] = [];
    try {
      // The client leaves after the first chunk; the function is not told and waits on the gate.
      const res = await request(`${server.url}/?gate=${encodeURIComponent(gate.url)}`, { abortAfterFirstChunk: true });
      assert.equal(res.complete, false);
      await gate.arrived(1);
      const idle = server.whenIdle().then(() => order.push("idle"));
      // Let pending callbacks run: a wrong "idle" would show now, since the gate is still shut.
      await delay(50);
      assert.equal(order.length, 0, "not idle while the function still runs");
      assert.equal(server.stats().busy, 1);
      order.push("gate-opened");
      gate.open();
      await idle;
      assert.deepEqual(order, ["gate-opened", "idle"]);
      assert.equal(server.stats().busy, 0);
    } finally {
      await gate.close();
    }
  });

  test("Content-Encoding set by the function is kept by default, stripped on request", async () => {
    const kept = await start("streaming.gzipped");
    const res = await request(kept.url);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(res.body).toString(), "compressed hello");

    const stripping = await FunctionUrlServer.start({
      handler: fixture("streaming.gzipped"),
      stripContentEncoding: true,
      log: logs.log,
    });
    servers.push(stripping);
    const stripped = await request(stripping.url);
    // What production was seen to do: the header goes, the bytes stay compressed.
    assert.equal(stripped.headers["content-encoding"], undefined);
    assert.equal(gunzipSync(stripped.body).toString(), "compressed hello");
  });

  test("a buffered handler behind a streaming URL: 200 with the raw JSON it returned", async () => {
    const server = await start("buffered.handler");
    const res = await request(`${server.url}/?shape=mapped`);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.equal(JSON.parse(res.body.toString()).statusCode, 201);
  });

  test("a client that disconnects does not stop the function", async () => {
    const server = await FunctionUrlServer.start({
      handler: fixture("streaming.persistent"),
      concurrency: 1,
      log: logs.log,
    });
    servers.push(server);
    const first = await request(`${server.url}/?long=1`, { abortAfterFirstChunk: true });
    assert.equal(first.body.toString(), "finished-before:0|");
    assert.equal(server.stats().busy, 1, "the function is still running after the client left");
    await server.whenIdle();
    const second = await request(server.url);
    assert.equal(second.body.toString(), "finished-before:1|done");
    assert.deepEqual(
      { environments: server.stats().environments, cold: server.stats().cold },
      { environments: 1, cold: 1 },
    );
  });
});
