// The e2e skip reporter: it counts skips by reason, and turns a passing run into a failed one when a
// skip is not expected for the target. Driven through Playwright's Reporter interface.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import type { FullResult, TestCase, TestResult } from "@playwright/test/reporter";
import SkipReporter from "./skip-reporter";
import { NO_FAULT_PROXY, SMALL_CATALOG } from "./skips";

function testCase(title: string, skipReason?: string): TestCase {
  return {
    annotations: skipReason === undefined ? [] : [{ type: "skip", description: skipReason }],
    titlePath: () => ["", "spec.ts", title],
  } as unknown as TestCase;
}

const skipped = { status: "skipped" } as TestResult;
const passed = { status: "passed" } as TestResult;
const runPassed = { status: "passed" } as FullResult;

/** Runs the reporter over the given tests; returns its verdict and what it printed. */
async function report(
  options: ConstructorParameters<typeof SkipReporter>[0],
  tests: Array<[TestCase, TestResult]>,
): Promise<{ verdict: Awaited<ReturnType<SkipReporter["onEnd"]>>; printed: string }> {
  const log = mock.method(console, "log", () => {});
  try {
    const reporter = new SkipReporter(options);
    for (const [test, result] of tests) reporter.onTestEnd(test, result);
    const verdict = await reporter.onEnd(runPassed);
    return { verdict, printed: log.mock.calls.map((call) => String(call.arguments[0])).join("\n") };
  } finally {
    log.mock.restore();
  }
}

describe("SkipReporter", () => {
  it("against a deployed stage, prints the fault specs' skips and lets the run pass", async () => {
    const { verdict, printed } = await report({ deployed: true, expectedBikes: 2000 }, [
      [testCase("a", NO_FAULT_PROXY), skipped],
      [testCase("b", NO_FAULT_PROXY), skipped],
      [testCase("c"), passed],
    ]);
    assert.equal(verdict, undefined);
    assert.match(printed, /2 test\(s\) skipped against a deployed stage/);
    assert.match(printed, /2 expected: DynamoDB faults can only be injected/);
  });

  it("fails a passing run with a skip not expected for the target, and names the test", async () => {
    const local = await report({ deployed: false, expectedBikes: 2000 }, [
      [testCase("faulty", NO_FAULT_PROXY), skipped],
    ]);
    assert.deepEqual(local.verdict, { status: "failed" });
    assert.match(local.printed, /1 NOT EXPECTED: DynamoDB faults/);
    assert.match(local.printed, /- spec\.ts › faulty/);

    const deployed = await report({ deployed: true, expectedBikes: 2000 }, [
      [testCase("x", "flaky, skip for now"), skipped],
    ]);
    assert.deepEqual(deployed.verdict, { status: "failed" });
    const noReason = await report({ deployed: true }, [[testCase("y"), skipped]]);
    assert.deepEqual(noReason.verdict, { status: "failed" });
    assert.match(noReason.printed, /\(no reason given\)/);
  });

  it("expects the small-catalog skips only on a small catalog", async () => {
    const small = await report({ deployed: false, expectedBikes: 500 }, [[testCase("s", SMALL_CATALOG), skipped]]);
    assert.equal(small.verdict, undefined);
    const large = await report({ deployed: false, expectedBikes: 2000 }, [[testCase("s", SMALL_CATALOG), skipped]]);
    assert.deepEqual(large.verdict, { status: "failed" });
  });

  it("prints zero skips and passes a run with none", async () => {
    const { verdict, printed } = await report({ deployed: false }, [[testCase("c"), passed]]);
    assert.equal(verdict, undefined);
    assert.match(printed, /0 test\(s\) skipped against the local stack/);
  });
});
