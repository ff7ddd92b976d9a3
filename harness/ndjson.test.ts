import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bikeIdsOf, ndjsonLines } from "./ndjson";

describe("ndjson", () => {
  it("parses one value a line; the last line's newline ends it, not a further line", () => {
    assert.deepEqual(ndjsonLines('{"a":1}\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(ndjsonLines('{"a":1}'), [{ a: 1 }]);
    assert.deepEqual(ndjsonLines(""), []);
  });

  it("a blank line inside the body is an error, not skipped", () => {
    assert.throws(() => ndjsonLines('{"a":1}\n\n{"b":2}\n'), SyntaxError);
  });

  it("reads the bike ids of the items in order, past lines that have none", () => {
    const lines = [
      { items: [{ id: "b" }, { id: "a" }] },
      { items: [] },
      { items: [{ id: "c" }] },
      { stopped: "budget" },
    ];
    assert.deepEqual(bikeIdsOf(lines), ["b", "a", "c"]);
  });
});
