import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coldVariantsFor, FLOOR_HANDLER, FLOOR_KEY, measureColdStart, measureColdStarts } from "./cold";
import { TARGETS, targetKey } from "./plan";

describe("bench cold starts", () => {
  it("makes one cold start per distinct function and first request, the floor first", () => {
    const variants = coldVariantsFor(TARGETS, { A: "1" }, "nodejs22.x");
    assert.equal(variants[0]?.key, FLOOR_KEY);
    const keys = variants.slice(1).map((v) => v.key);
    // Every Lambda variant's function and path is covered; the bandwidth model and query strings are not
    // told apart, and `next start` is no Lambda.
    for (const target of TARGETS.filter((t) => t.server !== "next-start")) {
      const covered = variants.some(
        (v) =>
          v.path.split("?")[0] === target.path.split("?")[0] &&
          (v.memoryMb ?? 2048) === (target.memoryMb ?? 2048) &&
          v.invokeMode === (target.server === "streaming-bundle" ? "RESPONSE_STREAM" : "BUFFERED"),
      );
      assert.ok(covered, `${targetKey(target)} has no cold start`);
    }
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(!keys.includes("streamed@off") && !keys.includes("streamed-budget@aws") && !keys.includes("next-start"));
    assert.ok(
      keys.includes("streamed@aws") && keys.includes("streamed-256mb@off") && keys.includes("opennext-buffered"),
    );
    assert.ok(variants.slice(1).every((v) => v.env.A === "1" && v.runtime === "nodejs22.x"));
  });

  it("times a fresh Function URL's first request and reads its Init Duration from lambda-url's log", async () => {
    const floor = {
      key: FLOOR_KEY,
      handler: FLOOR_HANDLER,
      path: "/",
      firstItem: "floor",
      env: {},
      runtime: "nodejs22.x",
    };
    const run = await measureColdStart(floor);
    assert.equal(run.status, 200);
    assert.ok(run.initMs !== undefined && run.initMs > 0, "Init Duration logged");
    // Order, not speed: the environment's init comes before the first byte, the first byte before the marker.
    assert.ok(run.ttfbMs > run.initMs);
    assert.ok(run.firstItemMs !== undefined && run.firstItemMs >= run.ttfbMs);
    assert.ok(run.cpuMs !== undefined && run.cpuMs > 0, "the function process's CPU time read at the first byte");
  });

  it("splits each variant's Init Duration with the floor of the same round", async () => {
    const floor = { key: FLOOR_KEY, handler: FLOOR_HANDLER, path: "/", env: {}, runtime: "nodejs22.x" };
    const results = await measureColdStarts([floor, { ...floor, key: "again" }], 2);
    for (const key of [FLOOR_KEY, "again"]) {
      const result = results[key];
      assert.equal(result?.n, 2);
      assert.deepEqual(result?.status, [200, 200]);
      assert.equal(result?.runtimeReadyMs?.n, 2);
    }
    // The floor's own import share is zero by construction, round by round.
    assert.deepEqual([results[FLOOR_KEY]?.importMs?.min, results[FLOOR_KEY]?.importMs?.max], [0, 0]);
  });
});
