// Skips are said out loud, and only the expected ones pass (decision 033). Against a deployed stage
// (BASE_URL given) the fault specs skip, since no proxy sits between the function and AWS's
// DynamoDB: the run prints how many tests were skipped and why. Any skip whose reason is not
// expected for the target fails the run, so a green run cannot hide a quarter of the suite.
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { expectedSkipReasons, type SkipTarget } from "./skips";

export default class SkipReporter implements Reporter {
  private readonly skipped = new Map<string, string[]>();
  private readonly target: SkipTarget;

  constructor(options: { deployed?: boolean; expectedBikes?: number } = {}) {
    this.target = { deployed: options.deployed ?? false, expectedBikes: options.expectedBikes ?? 2000 };
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== "skipped") return;
    const skips = test.annotations.filter((annotation) => annotation.type === "skip" || annotation.type === "fixme");
    const reason = skips.at(-1)?.description ?? "(no reason given)";
    const titles = this.skipped.get(reason) ?? [];
    titles.push(test.titlePath().slice(1).join(" › "));
    this.skipped.set(reason, titles);
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult["status"] } | undefined> {
    const expected = expectedSkipReasons(this.target);
    const where = this.target.deployed ? "a deployed stage" : "the local stack";
    const total = [...this.skipped.values()].reduce((sum, titles) => sum + titles.length, 0);
    console.log(`\ne2e: ${total} test(s) skipped against ${where}`);
    let unexpected = 0;
    for (const [reason, titles] of this.skipped) {
      const ok = expected.includes(reason);
      if (!ok) unexpected += titles.length;
      console.log(`  ${titles.length} ${ok ? "expected" : "NOT EXPECTED"}: ${reason}`);
      if (!ok) for (const title of titles) console.log(`    - ${title}`);
    }
    if (unexpected === 0) return undefined;
    console.log(`e2e: ${unexpected} skip(s) not expected against ${where}: the run fails`);
    return { status: result.status === "passed" ? "failed" : result.status };
  }

  printsToStdio(): boolean {
    return false;
  }
}
