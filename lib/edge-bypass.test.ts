import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bypassEdge } from "./edge-bypass";

describe("bypassEdge", () => {
  it("adds a fresh parameter to a path with or without a query", () => {
    assert.equal(bypassEdge("/bikes", "a"), "/bikes?fresh=a");
    assert.equal(bypassEdge("/bikes?limit=100", "b c"), "/bikes?limit=100&fresh=b%20c");
    assert.equal(
      bypassEdge("http://127.0.0.1:3000/api/bikes?x=1#top", "t"),
      "http://127.0.0.1:3000/api/bikes?x=1&fresh=t",
    );
  });

  it("makes a new key for every call", () => {
    assert.notEqual(bypassEdge("/bikes"), bypassEdge("/bikes"));
  });
});
