import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sharedCacheControl } from "./edge-cache";

describe("sharedCacheControl", () => {
  it("lets shared caches keep a response and browsers none", () => {
    assert.equal(
      sharedCacheControl({ sMaxAgeS: 10, staleWhileRevalidateS: 50, staleIfErrorS: 300 }),
      "public, max-age=0, s-maxage=10, stale-while-revalidate=50, stale-if-error=300",
    );
  });

  it("leaves out a stale allowance of 0", () => {
    assert.equal(
      sharedCacheControl({ sMaxAgeS: 2, staleWhileRevalidateS: 0, staleIfErrorS: 0 }),
      "public, max-age=0, s-maxage=2",
    );
  });

  it("stores nothing when s-maxage is 0", () => {
    assert.equal(sharedCacheControl({ sMaxAgeS: 0, staleWhileRevalidateS: 50, staleIfErrorS: 300 }), "no-store");
  });
});
