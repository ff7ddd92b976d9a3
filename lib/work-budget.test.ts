import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { budgetStop } from "./work-budget";

const BUDGET = { bytes: 100_000, ms: 1_000, scanRequests: 10 };
const spent = (over: Partial<Parameters<typeof budgetStop>[0]> = {}) => ({
  scanRequests: 0,
  bikes: 0,
  bytes: 0,
  pageBytes: 0,
  elapsedMs: 0,
  ...over,
});

describe("budgetStop", () => {
  it("lets the first request through", () => {
    assert.equal(budgetStop(spent(), BUDGET, 200), undefined);
  });

  it("stops at the Scan request budget and at the time budget", () => {
    assert.equal(budgetStop(spent({ scanRequests: 9 }), BUDGET, 200), undefined);
    assert.equal(budgetStop(spent({ scanRequests: 10 }), BUDGET, 200), "scanRequests");
    assert.equal(budgetStop(spent({ elapsedMs: 999 }), BUDGET, 200), undefined);
    assert.equal(budgetStop(spent({ elapsedMs: 1_000 }), BUDGET, 200), "time");
  });

  it("stops before a page that would cross the byte budget, at the bytes per bike seen so far", () => {
    // 100 bytes a bike: 60,000 sent + 200 × 100 = 80,000 fits; 90,000 + 20,000 does not.
    assert.equal(budgetStop(spent({ bikes: 600, bytes: 60_000, pageBytes: 60_000 }), BUDGET, 200), undefined);
    assert.equal(budgetStop(spent({ bikes: 900, bytes: 90_000, pageBytes: 90_000 }), BUDGET, 200), "bytes");
    assert.equal(budgetStop(spent({ bikes: 900, bytes: 90_000, pageBytes: 90_000 }), BUDGET, 50), undefined);
    // A shell sent before any page counts toward the budget but not toward the bytes per bike.
    assert.equal(budgetStop(spent({ bikes: 500, bytes: 81_000, pageBytes: 50_000 }), BUDGET, 200), "bytes");
    assert.equal(budgetStop(spent({ bikes: 500, bytes: 70_000, pageBytes: 50_000 }), BUDGET, 200), undefined);
  });

  it("has no byte rate before the first bike (empty pages)", () => {
    assert.equal(budgetStop(spent({ scanRequests: 3 }), BUDGET, 1_000), undefined);
  });
});
