import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatRequestTime } from "../src/event.ts";
import { FunctionUrlConfigError, resolveHandler } from "../src/index.ts";
import { PreludeSplitter } from "../src/prelude.ts";
import { TokenBucket } from "../src/throttle.ts";
import { fixture } from "./helpers.ts";

describe("PreludeSplitter", () => {
  const prelude = JSON.stringify({ statusCode: 302, headers: { Location: "/x" }, cookies: ["k=v"] });
  const stream = Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from("rest"), Buffer.alloc(8)]);

  test("finds the delimiter fed one byte at a time", () => {
    const splitter = new PreludeSplitter();
    let found: ReturnType<PreludeSplitter["push"]> = null;
    let at = 0;
    for (; at < stream.length && !found; at++) found = splitter.push(stream.subarray(at, at + 1));
    assert.ok(found);
    assert.equal(at, prelude.length + 8, "found exactly at the last NUL of the first run");
    assert.deepEqual(found.prelude, { statusCode: 302, headers: { location: "/x" }, cookies: ["k=v"] });
    assert.equal(found.rest.length, 0);
  });

  test("keeps the bytes after the delimiter, NULs included", () => {
    const found = new PreludeSplitter().push(stream);
    assert.deepEqual(found?.rest, Buffer.concat([Buffer.from("rest"), Buffer.alloc(8)]));
  });

  test("an empty prelude means 200; a bad one is an error", () => {
    assert.equal(new PreludeSplitter().push(Buffer.alloc(8))?.prelude.statusCode, 200);
    assert.throws(
      () => new PreludeSplitter().push(Buffer.concat([Buffer.from("{nope"), Buffer.alloc(8)])),
      /prelude is not JSON/,
    );
    assert.throws(
      () => new PreludeSplitter().push(Buffer.concat([Buffer.from('{"statusCode":42}'), Buffer.alloc(8)])),
      /not an HTTP status/,
    );
  });
});

describe("TokenBucket", () => {
  test("the burst is free, then bytes cost time at the rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ burstBytes: 1000, bytesPerSecond: 100 }, () => now);
    assert.equal(bucket.take(1000), 0);
    assert.equal(bucket.take(50), 500);
    now = 500;
    assert.equal(bucket.take(0), 0);
    now = 100_000; // a long pause refills to the burst, never beyond
    assert.equal(bucket.take(1000), 0);
    assert.equal(bucket.take(100), 1000);
  });
});

describe("helpers", () => {
  test("requestContext.time format", () => {
    assert.equal(formatRequestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58))), "12/Mar/2020:19:03:58 +0000");
  });

  test("handler resolution: DIR becomes the task root, the extension is found", () => {
    const found = resolveHandler(fixture("streaming.withPrelude"));
    assert.equal(found.handler, "streaming.withPrelude");
    assert.equal(found.file, fixture("streaming.mjs"));
    assert.throws(() => resolveHandler(fixture("nothing.handler")), FunctionUrlConfigError);
    assert.throws(() => resolveHandler(fixture("noexport")), /DIR\/FILE\.EXPORT/);
  });
});
