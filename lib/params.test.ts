import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeCursor } from "@firstbyte/dynamo-pages";
import { parseCatalogQuery, parseMode } from "./params";

const BUDGET = { bytes: 6_000_000, ms: 20_000, scanRequests: 100 };
const DEFAULTS = { defaultPageSize: 200, firstPageSize: 25, budget: BUDGET };
const parse = (query: string) => parseCatalogQuery(new URLSearchParams(query), DEFAULTS);
const params = (query: string) => {
  const result = parse(query);
  return result.ok ? [] : result.errors.map((error) => error.param);
};

describe("parseCatalogQuery", () => {
  it("uses the defaults when nothing is given", () => {
    assert.deepEqual(parse(""), {
      ok: true,
      query: {
        pageSize: 200,
        firstPageSize: 25,
        segments: 1,
        limit: undefined,
        cursor: undefined,
        cursorToken: undefined,
        budget: BUDGET,
      },
    });
  });

  it("lowers a budget when asked, never raises it past the configured ceiling", () => {
    const lowered = parse("budgetBytes=100000&budgetMs=500&budgetScans=3");
    assert.ok(lowered.ok);
    assert.deepEqual(lowered.query.budget, { bytes: 100_000, ms: 500, scanRequests: 3 });
    const partly = parse("budgetScans=7");
    assert.ok(partly.ok);
    assert.deepEqual(partly.query.budget, { ...BUDGET, scanRequests: 7 });
    const over = parse("budgetBytes=6000001&budgetScans=101&budgetMs=0");
    assert.ok(!over.ok);
    assert.deepEqual(
      over.errors.map((error) => error.message),
      [
        'budgetBytes must be a whole number from 1 to 6000000, got "6000001"',
        'budgetMs must be a whole number from 1 to 20000, got "0"',
        'budgetScans must be a whole number from 1 to 100, got "101"',
      ],
    );
  });

  it("ramps from the first page size only when the request sets no pageSize", () => {
    const given = parse("pageSize=150");
    assert.ok(given.ok);
    assert.deepEqual([given.query.firstPageSize, given.query.pageSize], [150, 150]);
    const small = parseCatalogQuery(new URLSearchParams(""), {
      defaultPageSize: 10,
      firstPageSize: 25,
      budget: BUDGET,
    });
    assert.ok(small.ok);
    assert.deepEqual([small.query.firstPageSize, small.query.pageSize], [10, 10]);
  });

  it("accepts the bounds", () => {
    const result = parse("pageSize=1000&segments=16");
    assert.ok(result.ok);
    assert.equal(result.query.pageSize, 1000);
    assert.equal(result.query.segments, 16);
    assert.ok(parse("pageSize=1&limit=1").ok);
  });

  it("rejects out-of-range and non-integer values, naming the parameter", () => {
    for (const bad of ["0", "1001", "-1", "1.5", "1e3", "0x10", " 5", "", "abc", "99999999999"]) {
      assert.deepEqual(params(`pageSize=${encodeURIComponent(bad)}`), ["pageSize"], `pageSize=${bad}`);
    }
    assert.deepEqual(params("segments=17"), ["segments"]);
    assert.deepEqual(params("segments=0"), ["segments"]);
    assert.deepEqual(params("limit=0"), ["limit"]);
    assert.deepEqual(params("limit=1000001"), ["limit"]);
  });

  it("reports every bad parameter at once", () => {
    assert.deepEqual(params("pageSize=0&segments=x&limit=y"), ["pageSize", "segments", "limit"]);
  });

  it("rejects a parameter given twice", () => {
    assert.deepEqual(params("pageSize=10&pageSize=20"), ["pageSize"]);
  });

  it("decodes a cursor this catalog handed out", () => {
    const token = encodeCursor({ id: "bike-1-0000042" });
    const result = parse(`cursor=${token}&limit=10`);
    assert.ok(result.ok);
    assert.deepEqual(result.query.cursor, { id: "bike-1-0000042" });
    assert.equal(result.query.cursorToken, token);
  });

  it("rejects a cursor for another key schema or garbage", () => {
    assert.deepEqual(params(`cursor=${encodeCursor({ pk: "x" })}`), ["cursor"]);
    assert.deepEqual(params(`cursor=${encodeCursor({ id: 5 })}`), ["cursor"]);
    assert.deepEqual(params("cursor=%%%"), ["cursor"]);
    assert.deepEqual(params("cursor="), ["cursor"]);
  });

  it("refuses limit or cursor with a parallel scan", () => {
    assert.deepEqual(params("segments=4&limit=10"), ["segments"]);
    assert.deepEqual(params(`segments=2&cursor=${encodeCursor({ id: "a" })}`), ["segments"]);
  });

  it("ignores parameters it does not know", () => {
    assert.ok(parse("utm_source=newsletter").ok);
  });

  it("reads Next's searchParams objects as well", () => {
    const result = parseCatalogQuery({ pageSize: "50", segments: ["2"] }, DEFAULTS);
    assert.ok(result.ok);
    assert.equal(result.query.pageSize, 50);
    assert.equal(result.query.segments, 2);
  });
});

describe("parseMode", () => {
  it("defaults to streamed and accepts buffered", () => {
    assert.deepEqual(parseMode(new URLSearchParams("")), { ok: true, mode: "streamed" });
    assert.deepEqual(parseMode(new URLSearchParams("mode=buffered")), { ok: true, mode: "buffered" });
  });
  it("rejects anything else", () => {
    const result = parseMode(new URLSearchParams("mode=fast"));
    assert.equal(result.ok, false);
  });
});
