import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  applyStatusOverride,
  createResponseStatusChannel,
  markResponseIncomplete,
  requestResponseStatus,
  withResponseStatusChannel,
} from "./response-status.ts";

const nextPrelude = () => ({
  statusCode: 200,
  headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-cache" },
});

test("without a channel (next start, next dev) a request is refused, so the caller fails another way", () => {
  assert.equal(requestResponseStatus(503, { "retry-after": "5" }), "no-channel");
});

test("a status asked for deep in the request's async work replaces its 200, headers merged by name", async () => {
  const channel = createResponseStatusChannel();
  const accepted = await withResponseStatusChannel(channel, async () => {
    await sleep(1);
    return await new Promise((resolve) =>
      setImmediate(() => resolve(requestResponseStatus(503, { "retry-after": "5", "cache-control": "no-store" }))),
    );
  });
  assert.equal(accepted, "accepted");
  assert.deepEqual(applyStatusOverride(channel, nextPrelude()), {
    statusCode: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "retry-after": "5", "cache-control": "no-store" },
  });
});

test("concurrent requests each see their own channel", async () => {
  const failing = createResponseStatusChannel();
  const healthy = createResponseStatusChannel();
  await Promise.all([
    withResponseStatusChannel(failing, async () => {
      await sleep(5);
      requestResponseStatus(503);
    }),
    withResponseStatusChannel(healthy, () => sleep(10)),
  ]);
  assert.equal(applyStatusOverride(failing, nextPrelude()).statusCode, 503);
  assert.equal(applyStatusOverride(healthy, nextPrelude()).statusCode, 200);
});

test("once the status line is out a request is refused (a streamed page cannot change its 200)", () => {
  const channel = createResponseStatusChannel();
  withResponseStatusChannel(channel, () => {
    applyStatusOverride(channel, nextPrelude());
    assert.equal(requestResponseStatus(503), "status-already-sent");
  });
  assert.equal(channel.override, undefined);
});

test("Next's own non-200 verdict stands, and the headers returned are a copy", () => {
  const channel = createResponseStatusChannel();
  withResponseStatusChannel(channel, () => requestResponseStatus(503, { "retry-after": "5" }));
  const prelude = { statusCode: 404, headers: { "content-type": "text/html" } };
  const applied = applyStatusOverride(channel, prelude);
  applied.headers.vary = "accept-encoding";
  assert.equal(applied.statusCode, 404);
  assert.deepEqual(prelude.headers, { "content-type": "text/html" });
});

test("a body marked incomplete after the status line is out keeps the first reason", async () => {
  assert.equal(markResponseIncomplete("scan_failed"), "no-channel");
  const channel = createResponseStatusChannel();
  await withResponseStatusChannel(channel, async () => {
    applyStatusOverride(channel, nextPrelude());
    await sleep(1);
    assert.equal(markResponseIncomplete("scan_unavailable"), "accepted");
    assert.equal(markResponseIncomplete("scan_failed"), "accepted");
  });
  assert.equal(channel.incomplete, "scan_unavailable");
  assert.equal(createResponseStatusChannel().incomplete, undefined);
});
