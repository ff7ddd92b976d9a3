import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import {
  browserRuns,
  browserTargets,
  parseBenchArgs,
  plannedRuns,
  selectTargets,
  TARGETS,
  targetKey,
  USAGE,
  UsageError,
} from "./plan";

const root = "/repo";

describe("bench plan", () => {
  it("reads the flags, with the full bench as the default", () => {
    assert.deepEqual(parseBenchArgs([], root), {
      runs: 5,
      sizes: [2_000, 20_000, 100_000],
      browser: true,
      out: path.join(root, "bench", "results"),
      report: undefined,
    });
    assert.deepEqual(parseBenchArgs(["--runs", "1", "--sizes", "50", "--no-browser", "--out", "/tmp/x"], root), {
      runs: 1,
      sizes: [50],
      browser: false,
      out: "/tmp/x",
      report: undefined,
    });
    assert.equal(parseBenchArgs(["--help"], root), undefined);
    assert.equal(parseBenchArgs(["--report", "bench/results/a.json"], root)?.report, "bench/results/a.json");
  });

  it("--targets runs only the variants named by key", () => {
    assert.deepEqual(parseBenchArgs(["--targets", "export-csv@off,export-csv-gz@off"], root)?.targets, [
      "export-csv@off",
      "export-csv-gz@off",
    ]);
    assert.equal(parseBenchArgs([], root)?.targets, undefined);
    assert.throws(
      () => parseBenchArgs(["--targets", "export-csv@off,nope"], root),
      /--targets: unknown variant "nope"\nusage:/,
    );
    assert.match(USAGE, /export-csv@off/);
  });

  it("rejects what it cannot run with one line saying why, then the usage", () => {
    for (const [args, why] of [
      [["--runs", "0"], /--runs must be a whole number ≥ 1\nusage:/],
      [["--runs", "2.5"], /--runs must be/],
      [["--sizes", "20000,2000"], /--sizes must be whole numbers ≥ 1 in increasing order\nusage:/],
      [["--sizes", "2000,x"], /--sizes must be/],
      [["--bogus"], /Unknown option '--bogus'[^\n]*\nusage:/],
    ] as const) {
      assert.throws(
        () => parseBenchArgs([...args], root),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, why);
          return true;
        },
      );
    }
  });

  it("every target has its own key", () => {
    const keys = TARGETS.map(targetKey);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("at 100,000 bikes only the variants whose time is not the code's run once", () => {
    const once = TARGETS.filter((t) => plannedRuns(t, 100_000, 5) === 1).map(targetKey);
    assert.deepEqual(once.sort(), ["buffered@aws", "buffered@off", "ndjson@aws", "opennext-buffered"]);
    assert.ok(TARGETS.every((t) => plannedRuns(t, 20_000, 5) === 5));
  });

  it("the browser loads the pages of up to 20,000 bikes, with more runs at 2,000", () => {
    assert.deepEqual(browserTargets(100_000), []);
    assert.ok(browserTargets(20_000).every((t) => t.bandwidth !== "off" && t.server !== "buffered-bundle"));
    assert.ok(browserTargets(2_000).some((t) => t.server === "buffered-bundle"));
    assert.equal(browserRuns(2_000, 5), 9);
    assert.equal(browserRuns(20_000, 5), 5);
  });

  it("the opt-in variants (decision 021's alternatives) run only when --targets names them", () => {
    const all = selectTargets().map(targetKey);
    assert.ok(all.includes("streamed@aws") && !all.includes("streamed-no-wait@aws"));
    assert.deepEqual(selectTargets(["streamed@aws", "streamed-no-wait@aws"]).map(targetKey), [
      "streamed@aws",
      "streamed-no-wait@aws",
    ]);
    assert.ok(TARGETS.filter((t) => t.optIn).every((t) => t.env?.BIKES_FIRST_PAGE_WAIT_MS !== undefined));
  });
});
