import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { compare, measureRuns, summarize } from "../src/index.ts";
import { type FlushServer, sleep, startFlushServer } from "./flush-server.ts";

let server: FlushServer;
const remotePorts: number[] = [];
before(async () => {
  server = await startFlushServer();
  server.route("/streamed", async (req, res) => {
    remotePorts.push(req.socket.remotePort ?? -1);
    res.writeHead(200, { "content-type": "text/html" });
    res.write("<p>shell</p>");
    await sleep(20);
    res.end("<tr data-row-id=1>");
  });
  server.route("/buffered", async (_req, res) => {
    await sleep(20);
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<p>shell</p><tr data-row-id=1>");
  });
  server.route("/no-rows", (_req, res) => {
    res.end("<p>shell</p>");
  });
});
after(() => server.close());

test("summarize: median of an odd count is the middle value", () => {
  assert.deepEqual(summarize([5, 1, 3]), { median: 3, min: 1, max: 5, n: 3 });
});

test("summarize: median of an even count is the mean of the two middle values", () => {
  assert.deepEqual(summarize([4, 1, 10, 2]), { median: 3, min: 1, max: 10, n: 4 });
});

test("summarize: one value, input left unsorted, empty input refused", () => {
  assert.deepEqual(summarize([7]), { median: 7, min: 7, max: 7, n: 1 });
  const values = [3, 1, 2];
  summarize(values);
  assert.deepEqual(values, [3, 1, 2]);
  assert.throws(() => summarize([]), RangeError);
});

test("measureRuns: one fresh connection per run, onRun called in order", async () => {
  remotePorts.length = 0;
  const seen: number[] = [];
  const runs = await measureRuns(server.url("/streamed"), 3, { onRun: (i) => seen.push(i) });
  assert.equal(runs.length, 3);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(new Set(remotePorts).size, 3, "each run used its own client port");
  await assert.rejects(measureRuns(server.url("/streamed"), 0), RangeError);
});

test("compare: alternates which URL goes first and returns one B/A ratio per pair", async () => {
  server.requests.length = 0;
  const markers = { row: "data-row-id=" };
  const result = await compare(server.url("/streamed"), server.url("/buffered"), 4, { markers });

  const a = "/streamed";
  const b = "/buffered";
  assert.deepEqual(server.requests, [a, b, b, a, a, b, b, a]);
  assert.deepEqual(result.order, ["a-first", "b-first", "a-first", "b-first"]);
  assert.equal(result.a.length, 4);
  assert.equal(result.b.length, 4);
  assert.ok(result.a.every((m) => m.url.endsWith(a)));
  assert.ok(result.b.every((m) => m.url.endsWith(b)));
  assert.equal(result.ratios.ttfb.length, 4);
  assert.equal(result.ratios.total.length, 4);
  assert.equal(result.ratios.markers.row?.length, 4);
  result.ratios.ttfb.forEach((ratio, i) => {
    assert.equal(ratio, result.b[i]!.ttfbMs / result.a[i]!.ttfbMs);
  });
  result.ratios.markers.row!.forEach((ratio, i) => {
    assert.equal(ratio, result.b[i]!.markers.row! / result.a[i]!.markers.row!);
  });
});

test("compare: a marker B never shows leaves that pair out of the marker ratios", async () => {
  const result = await compare(server.url("/streamed"), server.url("/no-rows"), 2, {
    markers: { row: "data-row-id=" },
  });
  assert.equal(result.ratios.ttfb.length, 2);
  assert.deepEqual(result.ratios.markers, { row: [] });
});
