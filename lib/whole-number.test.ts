import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseWholeNumber } from "./whole-number";

describe("parseWholeNumber", () => {
  it("takes digits within the range, bounds included", () => {
    assert.deepEqual(parseWholeNumber("1", { min: 1, max: 1000 }), { ok: true, value: 1 });
    assert.deepEqual(parseWholeNumber("1000", { min: 1, max: 1000 }), { ok: true, value: 1000 });
    assert.deepEqual(parseWholeNumber("0007", { min: 0, max: 10 }), { ok: true, value: 7 });
    assert.deepEqual(parseWholeNumber("0", { min: 0 }), { ok: true, value: 0 });
  });

  it("refuses what Number() would take but nobody means as a count", () => {
    for (const text of ["", " 5", "5 ", "1e3", "0x10", "1.0", "1.5", "-1", "+1", "Infinity", "abc"]) {
      assert.equal(parseWholeNumber(text, { min: 0, max: 1_000_000 }).ok, false, JSON.stringify(text));
    }
  });

  it("refuses values out of range and beyond a safe integer", () => {
    assert.deepEqual(parseWholeNumber("0", { min: 1, max: 16 }), {
      ok: false,
      problem: 'must be a whole number from 1 to 16, got "0"',
    });
    assert.deepEqual(parseWholeNumber("17", { min: 1, max: 16 }), {
      ok: false,
      problem: 'must be a whole number from 1 to 16, got "17"',
    });
    assert.deepEqual(parseWholeNumber("99999999999999999999", { min: 1 }), {
      ok: false,
      problem: 'must be a whole number of at least 1, got "99999999999999999999"',
    });
  });

  it("shortens a long value in the message", () => {
    const result = parseWholeNumber("x".repeat(500), { min: 1, max: 2 });
    assert.ok(!result.ok);
    assert.equal(result.problem, `must be a whole number from 1 to 2, got "${"x".repeat(40)}…"`);
  });
});
