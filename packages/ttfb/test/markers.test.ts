import assert from "node:assert/strict";
import { test } from "node:test";
import { MarkerScanner } from "../src/index.ts";

test("a marker split over three pieces is found when its last byte arrives", () => {
  const scanner = new MarkerScanner({ row: "data-row-id=" });
  scanner.push(Buffer.from("<tr data-r"), 1);
  scanner.push(Buffer.from("ow-"), 2);
  assert.equal(scanner.results().row, undefined);
  scanner.push(Buffer.from("id=7>"), 3);
  assert.deepEqual(scanner.results(), { row: 3 });
});

test("only the first arrival counts, and unseen markers stay undefined", () => {
  const scanner = new MarkerScanner({ a: "AA", missing: "zzz" });
  scanner.push(Buffer.from("xAAx"), 1);
  scanner.push(Buffer.from("AA"), 2);
  assert.deepEqual(scanner.results(), { a: 1, missing: undefined });
});

test("a multi-byte character split between pieces still matches", () => {
  const scanner = new MarkerScanner({ euro: "€12" });
  const bytes = Buffer.from("price: €12", "utf8");
  const cut = bytes.indexOf(0x82); // inside the three-byte euro sign
  scanner.push(bytes.subarray(0, cut), 1);
  scanner.push(bytes.subarray(cut), 2);
  assert.deepEqual(scanner.results(), { euro: 2 });
});

test("markers of different lengths straddle with a carry of the longest", () => {
  const scanner = new MarkerScanner({ short: "ab", long: "0123456789" });
  // The one-byte middle piece is shorter than the carry: the window must keep older bytes too.
  for (const [i, piece] of ["x0123", "4", "56789a", "b"].entries()) scanner.push(Buffer.from(piece), i);
  assert.deepEqual(scanner.results(), { short: 3, long: 2 });
});

test("an empty marker text is refused", () => {
  assert.throws(() => new MarkerScanner({ empty: "" }), RangeError);
});
