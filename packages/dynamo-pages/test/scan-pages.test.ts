import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import { type Key, ScanOptionsError, type ScanPage, scanPages } from "../src/index.ts";
import { createTable, type LocalDynamo, putItems, startLocalDynamo } from "./local-dynamo.ts";

type Item = { id: string; n: number };

const TABLE = "pages";
const EMPTY_TABLE = "empty";
const ITEM_COUNT = 1050;
const allIds = Array.from({ length: ITEM_COUNT }, (_, i) => `item-${String(i).padStart(4, "0")}`);

let db: LocalDynamo;

/** Scan inputs as the client sent them, and how many ran at once (overall and per segment). */
interface ScanLog {
  inputs: ScanCommandInput[];
  peakInFlight: number;
  peakInFlightPerSegment: number;
  stop(): void;
}

function logScans(): ScanLog {
  const name = `log-scans-${Math.random()}`;
  const inFlight = new Map<number, number>();
  let total = 0;
  const log: ScanLog = {
    inputs: [],
    peakInFlight: 0,
    peakInFlightPerSegment: 0,
    stop: () => db.doc.middlewareStack.remove(name),
  };
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "ScanCommand") return next(args);
      const input = args.input as ScanCommandInput;
      const segment = input.Segment ?? 0;
      log.inputs.push(input);
      inFlight.set(segment, (inFlight.get(segment) ?? 0) + 1);
      total++;
      log.peakInFlight = Math.max(log.peakInFlight, total);
      log.peakInFlightPerSegment = Math.max(log.peakInFlightPerSegment, inFlight.get(segment) ?? 0);
      try {
        return await next(args);
      } finally {
        inFlight.set(segment, (inFlight.get(segment) ?? 0) - 1);
        total--;
      }
    },
    { step: "initialize", name },
  );
  return log;
}

async function collect(pages: AsyncIterable<ScanPage<Item>>): Promise<Array<ScanPage<Item>>> {
  const seen: Array<ScanPage<Item>> = [];
  for await (const page of pages) seen.push(page);
  return seen;
}

const idsOf = (pages: Array<ScanPage<Item>>) => pages.flatMap((page) => page.items.map((item) => item.id));
const sorted = (ids: string[]) => [...ids].sort();
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

before(async () => {
  db = await startLocalDynamo();
  await createTable(db, TABLE, ["id", "S"]);
  await createTable(db, EMPTY_TABLE, ["id", "S"]);
  await putItems(
    db,
    TABLE,
    allIds.map((id, n) => ({ id, n })),
  );
});

after(async () => {
  await db.close();
});

describe("scanPages, one segment", { timeout: 10_000 }, () => {
  it("yields pages of pageSize, every item once, and lastKey undefined only at the end", async () => {
    const log = logScans();
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100 }));
    log.stop();

    assert.deepEqual(
      pages.map((p) => p.items.length),
      [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50],
    );
    assert.deepEqual(
      pages.map((p) => p.index),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.ok(pages.every((p) => p.segment === 0));
    assert.deepEqual(sorted(idsOf(pages)), allIds);
    for (const page of pages.slice(0, -1)) {
      // Without a filter the resume key is the key of the page's last item.
      assert.deepEqual(page.lastKey, { id: page.items.at(-1)?.id });
    }
    assert.equal(pages.at(-1)?.lastKey, undefined);
    assert.deepEqual(
      log.inputs.map((input) => input.Limit),
      Array(11).fill(100),
    );
    assert.ok(log.inputs.every((input) => input.Segment === undefined && input.TotalSegments === undefined));
  });

  it("defaults to pages of 200", async () => {
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE }));
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [200, 200, 200, 200, 200, 50],
    );
  });

  it("yields the empty page DynamoDB returns after a page that ended exactly at Limit", async () => {
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 350 }));
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [350, 350, 350, 0],
    );
    assert.notEqual(pages[2]?.lastKey, undefined);
    assert.equal(pages[3]?.lastKey, undefined);
  });

  it("yields one empty last page for an empty table", async () => {
    const pages = await collect(scanPages<Item>(db.doc, { table: EMPTY_TABLE }));
    assert.deepEqual(pages, [{ items: [], lastKey: undefined, segment: 0, index: 0 }]);
  });

  it("yields the first page after one request, before the rest of the table is read", async () => {
    const before = db.scansReceived();
    const pages = scanPages<Item>(db.doc, { table: TABLE, pageSize: 100 });
    const first = await pages.next();
    assert.equal(first.done, false);
    assert.equal(first.value?.items.length, 100);
    assert.equal(db.scansReceived() - before, 1);
    await pages.return();
  });

  it("passes consistentRead through", async () => {
    const log = logScans();
    await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 1000, consistentRead: true }));
    log.stop();
    assert.deepEqual(
      log.inputs.map((input) => input.ConsistentRead),
      [true, true],
    );
  });

  it("resumes from startKey with the items after it and no others", async () => {
    const firstPages: Array<ScanPage<Item>> = [];
    for await (const page of scanPages<Item>(db.doc, { table: TABLE, pageSize: 100 })) {
      firstPages.push(page);
      if (firstPages.length === 3) break;
    }
    const resumeKey = firstPages.at(-1)?.lastKey;
    assert.ok(resumeKey);
    const rest = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, startKey: resumeKey }));
    assert.equal(idsOf(rest).length, ITEM_COUNT - 300);
    assert.deepEqual(sorted([...idsOf(firstPages), ...idsOf(rest)]), allIds);
  });

  it("propagates DynamoDB's error for a missing table", async () => {
    await assert.rejects(collect(scanPages<Item>(db.doc, { table: "no-such-table" })), {
      name: "ResourceNotFoundException",
    });
  });
});

describe("scanPages with firstPageSize", { timeout: 10_000 }, () => {
  it("asks for firstPageSize first and doubles each request up to pageSize, every item once", async () => {
    const log = logScans();
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 200, firstPageSize: 25 }));
    log.stop();
    // 25 + 50 + 100 = 175, then the 875 left in pages of 200: 4 × 200 and 75.
    assert.deepEqual(
      log.inputs.map((input) => input.Limit),
      [25, 50, 100, 200, 200, 200, 200, 200],
    );
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [25, 50, 100, 200, 200, 200, 200, 75],
    );
    assert.deepEqual(sorted(idsOf(pages)), allIds);
  });

  it("stops the ramp at pageSize even when doubling would pass it", async () => {
    const log = logScans();
    await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 300, firstPageSize: 100 }));
    log.stop();
    assert.deepEqual(
      log.inputs.map((input) => input.Limit),
      [100, 200, 300, 300, 300],
    );
  });

  it("ramps every segment of a parallel scan on its own", async () => {
    const log = logScans();
    const pages = await collect(
      scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, firstPageSize: 10, segments: 2 }),
    );
    log.stop();
    assert.deepEqual(sorted(idsOf(pages)), allIds);
    for (const segment of [0, 1]) {
      const limits = log.inputs.filter((input) => input.Segment === segment).map((input) => input.Limit);
      assert.deepEqual(limits.slice(0, 5), [10, 20, 40, 80, 100], `segment ${segment}`);
    }
  });

  it("keeps maxItems exact: the ramp's Limit is cut to what is left", async () => {
    const log = logScans();
    const pages = await collect(
      scanPages<Item>(db.doc, { table: TABLE, pageSize: 200, firstPageSize: 25, maxItems: 120 }),
    );
    log.stop();
    assert.deepEqual(
      log.inputs.map((input) => input.Limit),
      [25, 50, 45],
    );
    assert.equal(idsOf(pages).length, 120);
  });
});

describe("scanPages with maxItems", { timeout: 10_000 }, () => {
  it("stops at exactly maxItems with the resume key, and resuming reads the rest without overlap", async () => {
    const log = logScans();
    const firstPass = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, maxItems: 250 }));
    log.stop();
    assert.deepEqual(
      firstPass.map((p) => p.items.length),
      [100, 100, 50],
    );
    // The last request asked for only what was left, so its LastEvaluatedKey is the 250th item.
    assert.deepEqual(
      log.inputs.map((input) => input.Limit),
      [100, 100, 50],
    );
    const resumeKey = firstPass.at(-1)?.lastKey;
    assert.deepEqual(resumeKey, { id: firstPass.at(-1)?.items.at(-1)?.id });

    const secondPass = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, startKey: resumeKey }));
    assert.equal(idsOf(secondPass).length, ITEM_COUNT - 250);
    assert.deepEqual(sorted([...idsOf(firstPass), ...idsOf(secondPass)]), allIds);
  });

  it("resumes in steps of maxItems until the table is exhausted", async () => {
    const seen: string[] = [];
    let startKey: Key | undefined;
    let passes = 0;
    do {
      const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 64, maxItems: 300, startKey }));
      passes++;
      const ids = idsOf(pages);
      assert.ok(ids.length <= 300);
      seen.push(...ids);
      startKey = pages.at(-1)?.lastKey;
    } while (startKey !== undefined);
    // 300, 300, 300, 150: the fourth pass ends short of maxItems at the end of the table.
    assert.equal(passes, 4);
    assert.deepEqual(sorted(seen), allIds);
  });

  it("hands back a resume key when maxItems lands exactly on the end, and that resume is one empty page", async () => {
    const firstPass = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 500, maxItems: ITEM_COUNT }));
    assert.deepEqual(
      firstPass.map((p) => p.items.length),
      [500, 500, 50],
    );
    const resumeKey = firstPass.at(-1)?.lastKey;
    assert.ok(resumeKey);
    const rest = await collect(scanPages<Item>(db.doc, { table: TABLE, startKey: resumeKey }));
    assert.deepEqual(rest, [{ items: [], lastKey: undefined, segment: 0, index: 0 }]);
  });

  it("ends with lastKey undefined when the table runs out before maxItems", async () => {
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 1000, maxItems: 5000 }));
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [1000, 50],
    );
    assert.equal(pages.at(-1)?.lastKey, undefined);
  });
});

describe("scanPages, parallel segments", { timeout: 10_000 }, () => {
  it("covers every item once across 4 segments, one request in flight per segment", async () => {
    const log = logScans();
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 50, segments: 4 }));
    log.stop();

    assert.deepEqual(sorted(idsOf(pages)), allIds);
    assert.deepEqual(
      pages.map((p) => p.index),
      pages.map((_, i) => i),
    );
    assert.deepEqual([...new Set(pages.map((p) => p.segment))].sort(), [0, 1, 2, 3]);
    for (const segment of [0, 1, 2, 3]) {
      const own = pages.filter((p) => p.segment === segment);
      assert.equal(own.at(-1)?.lastKey, undefined, `segment ${segment} ends with lastKey undefined`);
      assert.ok(
        own.slice(0, -1).every((p) => p.lastKey !== undefined),
        `only segment ${segment}'s last page lacks lastKey`,
      );
    }
    assert.ok(log.inputs.every((input) => input.TotalSegments === 4 && input.Limit === 50));
    assert.equal(log.inputs.length, pages.length);
    assert.equal(log.peakInFlightPerSegment, 1);
    assert.equal(log.peakInFlight, 4);
  });

  it("yields a page of one segment while another segment's request is still unanswered", async () => {
    const base = db.scansReceived();
    db.holdScan = (arrival) => arrival === base + 2;
    try {
      const pages = scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, segments: 2 });
      const first = await pages.next();
      assert.equal(first.done, false);
      assert.equal(first.value?.items.length, 100);
      await db.scansArrived(base + 2);
      assert.equal(db.held.length, 1);
      await pages.return();
      await db.held[0]?.dropped;
    } finally {
      db.holdScan = undefined;
      db.held = [];
    }
  });
});

describe("scanPages stopping", { timeout: 10_000 }, () => {
  it("sends no request after the consumer breaks", async () => {
    const before = db.scansReceived();
    let pagesRead = 0;
    for await (const _page of scanPages<Item>(db.doc, { table: TABLE, pageSize: 100 })) {
      if (++pagesRead === 2) break;
    }
    await settle();
    assert.equal(db.scansReceived() - before, 2);
  });

  it("aborts the other segments' requests in flight and sends no more when the consumer breaks", async () => {
    // Answer the first request only: the other segments stay in flight until the break.
    const base = db.scansReceived();
    db.holdScan = (arrival) => arrival > base + 1;
    try {
      for await (const page of scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, segments: 4 })) {
        assert.equal(page.items.length, 100);
        await db.scansArrived(base + 4);
        break;
      }
      assert.equal(db.held.length, 3);
      await Promise.all(db.held.map((held) => held.dropped));
      await settle();
      assert.equal(db.scansReceived() - base, 4);
    } finally {
      db.holdScan = undefined;
      db.held = [];
    }
  });

  it("throws the abort reason and sends nothing more when aborted between pages", async () => {
    const controller = new AbortController();
    const reason = new Error("user went away");
    const before = db.scansReceived();
    const pages = scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, signal: controller.signal });
    assert.equal((await pages.next()).done, false);
    assert.equal((await pages.next()).done, false);
    controller.abort(reason);
    await assert.rejects(pages.next(), (error) => error === reason);
    assert.deepEqual(await pages.next(), { done: true, value: undefined });
    await settle();
    assert.equal(db.scansReceived() - before, 2);
  });

  it("aborts the request in flight and rejects with the abort reason", async () => {
    const controller = new AbortController();
    const reason = new Error("navigation cancelled");
    const base = db.scansReceived();
    db.holdScan = (arrival) => arrival === base + 2;
    try {
      const pages = scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, signal: controller.signal });
      assert.equal((await pages.next()).done, false);
      const second = pages.next();
      await db.scansArrived(base + 2);
      controller.abort(reason);
      await assert.rejects(second, (error) => error === reason);
      // The client dropped the connection: abortSignal reached client.send.
      assert.equal(db.held.length, 1);
      await db.held[0]?.dropped;
      await settle();
      assert.equal(db.scansReceived() - base, 2);
    } finally {
      db.holdScan = undefined;
      db.held = [];
    }
  });

  it("rejects with an AbortError when aborted without a reason", async () => {
    const controller = new AbortController();
    const pages = scanPages<Item>(db.doc, { table: TABLE, signal: controller.signal });
    await pages.next();
    controller.abort();
    await assert.rejects(pages.next(), { name: "AbortError" });
  });

  it("sends nothing for an already aborted signal", async () => {
    const reason = new Error("too late");
    const before = db.scansReceived();
    const pages = scanPages<Item>(db.doc, { table: TABLE, signal: AbortSignal.abort(reason) });
    await assert.rejects(pages.next(), (error) => error === reason);
    await settle();
    assert.equal(db.scansReceived(), before);
  });

  it("aborts every segment of a parallel scan", async () => {
    const controller = new AbortController();
    const reason = new Error("stop all");
    const base = db.scansReceived();
    db.holdScan = () => true;
    try {
      const pages = scanPages<Item>(db.doc, { table: TABLE, segments: 3, signal: controller.signal });
      const first = pages.next();
      await db.scansArrived(base + 3);
      controller.abort(reason);
      await assert.rejects(first, (error) => error === reason);
      await Promise.all(db.held.map((held) => held.dropped));
      assert.equal(db.held.length, 3);
      await settle();
      assert.equal(db.scansReceived() - base, 3);
    } finally {
      db.holdScan = undefined;
      db.held = [];
    }
  });
});

describe("scanPages with maxRequests", { timeout: 10_000 }, () => {
  it("sends exactly maxRequests Scan requests to the engine, however many segments", async () => {
    const before = db.scansReceived();
    const pages = await collect(
      scanPages<Item>(db.doc, { table: TABLE, pageSize: 1000, segments: 16, maxRequests: 1 }),
    );
    assert.equal(db.scansReceived() - before, 1);
    assert.equal(pages.length, 1);
  });

  it("counts requests in flight: 16 segments of one item each stop at 100 requests, not 100 plus those in flight", async () => {
    const before = db.scansReceived();
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 1, segments: 16, maxRequests: 100 }));
    assert.equal(db.scansReceived() - before, 100);
    assert.equal(pages.length, 100);
  });

  it("ends with the table when the table ends first", async () => {
    const before = db.scansReceived();
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 1000, maxRequests: 50 }));
    assert.deepEqual(pages.flatMap((page) => page.items.map((item) => item.id)).sort(), allIds);
    assert.equal(db.scansReceived() - before, pages.length);
    assert.ok(pages.length < 50);
  });

  it("stops a one-segment scan after maxRequests pages, resumable from the last page's key", async () => {
    const pages = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, maxRequests: 3 }));
    assert.equal(pages.length, 3);
    const lastKey = pages.at(-1)?.lastKey;
    assert.ok(lastKey);
    const rest = await collect(scanPages<Item>(db.doc, { table: TABLE, pageSize: 100, startKey: lastKey }));
    const ids = [...pages, ...rest].flatMap((page) => page.items.map((item) => item.id));
    assert.deepEqual([...ids].sort(), allIds);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe("scanPages options", { timeout: 10_000 }, () => {
  const bad: Array<[string, Parameters<typeof scanPages>[1], RegExp]> = [
    ["empty table name", { table: "" }, /table/],
    ["pageSize 0", { table: TABLE, pageSize: 0 }, /pageSize/],
    ["pageSize negative", { table: TABLE, pageSize: -5 }, /pageSize/],
    ["pageSize fractional", { table: TABLE, pageSize: 2.5 }, /pageSize/],
    ["pageSize NaN", { table: TABLE, pageSize: Number.NaN }, /pageSize/],
    ["firstPageSize 0", { table: TABLE, firstPageSize: 0 }, /firstPageSize/],
    ["firstPageSize fractional", { table: TABLE, firstPageSize: 2.5 }, /firstPageSize/],
    ["firstPageSize above pageSize", { table: TABLE, pageSize: 50, firstPageSize: 51 }, /firstPageSize/],
    ["segments 0", { table: TABLE, segments: 0 }, /segments/],
    ["segments fractional", { table: TABLE, segments: 1.5 }, /segments/],
    ["segments over 1,000,000", { table: TABLE, segments: 1_000_001 }, /segments/],
    ["maxItems 0", { table: TABLE, maxItems: 0 }, /maxItems/],
    ["maxItems fractional", { table: TABLE, maxItems: 1.5 }, /maxItems/],
    ["maxRequests 0", { table: TABLE, maxRequests: 0 }, /maxRequests/],
    ["maxRequests fractional", { table: TABLE, maxRequests: 1.5 }, /maxRequests/],
    ["maxItems with segments", { table: TABLE, segments: 2, maxItems: 10 }, /maxItems/],
    ["startKey with segments", { table: TABLE, segments: 2, startKey: { id: "item-0001" } }, /startKey/],
    ["startKey empty", { table: TABLE, startKey: {} }, /startKey/],
    ["startKey with an empty string", { table: TABLE, startKey: { id: "" } }, /startKey/],
    ["startKey with a boolean", { table: TABLE, startKey: { id: true } as unknown as Key }, /startKey/],
  ];
  for (const [what, options, message] of bad) {
    it(`rejects ${what} at the call, before any request`, () => {
      const before = db.scansReceived();
      assert.throws(
        () => scanPages(db.doc, options),
        (error) =>
          error instanceof ScanOptionsError && error.name === "ScanOptionsError" && message.test(error.message),
      );
      assert.equal(db.scansReceived(), before);
    });
  }

  it("accepts segments 1,000,000 and a large pageSize (DynamoDB sets no upper bound on Limit)", () => {
    assert.doesNotThrow(() => scanPages(db.doc, { table: TABLE, segments: 1_000_000 }));
    assert.doesNotThrow(() => scanPages(db.doc, { table: TABLE, pageSize: 5000 }));
  });
});
