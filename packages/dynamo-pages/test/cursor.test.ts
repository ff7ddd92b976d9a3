import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeCursor, encodeCursor, InvalidCursorError, type Key, type KeySchema, scanPages } from "../src/index.ts";
import { createTable, type LocalDynamo, putItems, startLocalDynamo } from "./local-dynamo.ts";

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

/** A token with exactly this JSON inside, bypassing encodeCursor's checks. */
const tokenOf = (json: string) => Buffer.from(json, "utf8").toString("base64url");

describe("encodeCursor / decodeCursor round trip", () => {
  const cases: Array<[string, Key, KeySchema]> = [
    ["a string key", { id: "item-0001" }, { id: "S" }],
    ["a non-ASCII string key", { id: "vélo 🚲 / ?&=" }, { id: "S" }],
    ["an integer key", { id: 42 }, { id: "N" }],
    ["a negative fractional key", { id: -0.1 }, { id: "N" }],
    ["a large number key", { id: 1.2345678901234567e100 }, { id: "N" }],
    ["zero", { id: 0 }, { id: "N" }],
    ["a binary key", { id: new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]) }, { id: "B" }],
    ["a composite S + N key", { pk: "shop#7", sk: 1_700_000_000_123 }, { pk: "S", sk: "N" }],
    ["a composite B + S key", { pk: new Uint8Array([255, 254]), sk: "2026-11-23" }, { pk: "B", sk: "S" }],
  ];
  for (const [what, key, schema] of cases) {
    it(`round-trips ${what} through a URL-safe token`, () => {
      const token = encodeCursor(key);
      assert.match(token, URL_SAFE);
      assert.deepEqual(decodeCursor(token, schema), key);
    });
  }

  it("decodes binary as a plain Uint8Array even when encoded from a Buffer", () => {
    const decoded = decodeCursor(encodeCursor({ id: Buffer.from([1, 2, 3]) }), { id: "B" });
    assert.equal(Object.getPrototypeOf(decoded.id), Uint8Array.prototype);
    assert.deepEqual(decoded, { id: new Uint8Array([1, 2, 3]) });
  });

  it("encodes a byte view of a larger buffer as just its bytes", () => {
    const backing = new Uint8Array([9, 9, 1, 2, 9]);
    assert.deepEqual(decodeCursor(encodeCursor({ id: backing.subarray(2, 4) }), { id: "B" }), {
      id: new Uint8Array([1, 2]),
    });
  });

  it("uses a compact typed JSON inside", () => {
    const json = Buffer.from(encodeCursor({ pk: "a", sk: 5 }), "base64url").toString("utf8");
    assert.equal(json, '{"pk":{"S":"a"},"sk":{"N":5}}');
  });

  it("refuses to encode values DynamoDB could not have returned as a key", () => {
    assert.throws(() => encodeCursor({}), TypeError);
    assert.throws(() => encodeCursor({ id: "" }), TypeError);
    assert.throws(() => encodeCursor({ id: Number.NaN }), TypeError);
    assert.throws(() => encodeCursor({ id: true } as unknown as Key), TypeError);
  });
});

describe("decodeCursor rejects", () => {
  const id: KeySchema = { id: "S" };
  const cases: Array<[string, string, KeySchema, string]> = [
    ["an empty token", "", id, "empty"],
    ["a token over 8,192 characters", "A".repeat(8193), id, "too-long"],
    ["standard base64 characters", `${tokenOf('{"id":{"S":"a"}}')}+/`, id, "not-base64url"],
    ["padding", `${tokenOf('{"id":{"S":"ab"}}')}=`, id, "not-base64url"],
    ["whitespace", ` ${tokenOf('{"id":{"S":"a"}}')}`, id, "not-base64url"],
    ["an impossible base64 length", "A", id, "not-base64url"],
    ["non-canonical trailing bits", "AB", id, "not-base64url"],
    ["content that is not JSON", tokenOf("id=abc"), id, "not-json"],
    ["content that is not UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64url"), id, "not-json"],
    ["a JSON array", tokenOf('[{"S":"a"}]'), id, "wrong-shape"],
    ["JSON null", tokenOf("null"), id, "wrong-shape"],
    ["a JSON string", tokenOf('"a"'), id, "wrong-shape"],
    ["a JSON number", tokenOf("5"), id, "wrong-shape"],
    ["an untyped value", tokenOf('{"id":"a"}'), id, "wrong-shape"],
    ["a null value", tokenOf('{"id":null}'), id, "wrong-shape"],
    ["a value with no type", tokenOf('{"id":{}}'), id, "wrong-shape"],
    ["a value with two types", tokenOf('{"id":{"S":"a","N":1}}'), id, "wrong-shape"],
    ["a value of a non-key type", tokenOf('{"id":{"BOOL":true}}'), id, "wrong-shape"],
    ["an empty key", tokenOf("{}"), id, "missing-attribute"],
    ["a missing sort key", tokenOf('{"pk":{"S":"a"}}'), { pk: "S", sk: "N" }, "missing-attribute"],
    ["an attribute outside the schema", tokenOf('{"id":{"S":"a"},"admin":{"S":"y"}}'), id, "extra-attribute"],
    ["__proto__ as an attribute", tokenOf('{"id":{"S":"a"},"__proto__":{"S":"y"}}'), id, "extra-attribute"],
    ["a misnamed attribute", tokenOf('{"ID":{"S":"a"}}'), id, "missing-attribute"],
    ["N where the schema says S", tokenOf('{"id":{"N":1}}'), id, "wrong-type"],
    ["S where the schema says N", tokenOf('{"id":{"S":"1"}}'), { id: "N" }, "wrong-type"],
    ["S where the schema says B", tokenOf('{"id":{"S":"AQI"}}'), { id: "B" }, "wrong-type"],
    ["a number tagged S", tokenOf('{"id":{"S":5}}'), id, "wrong-type"],
    ["a string tagged N", tokenOf('{"id":{"N":"5"}}'), { id: "N" }, "wrong-type"],
    ["a number tagged B", tokenOf('{"id":{"B":5}}'), { id: "B" }, "wrong-type"],
    ["an empty string", tokenOf('{"id":{"S":""}}'), id, "invalid-value"],
    ["a string over 2,048 bytes", tokenOf(JSON.stringify({ id: { S: "é".repeat(1025) } })), id, "invalid-value"],
    ["an unpaired surrogate", tokenOf('{"id":{"S":"a\\ud800"}}'), id, "invalid-value"],
    ["a number above DynamoDB's range", tokenOf('{"id":{"N":1e126}}'), { id: "N" }, "invalid-value"],
    ["a number below DynamoDB's smallest magnitude", tokenOf('{"id":{"N":1e-131}}'), { id: "N" }, "invalid-value"],
    ["an overflowing number", tokenOf('{"id":{"N":1e999}}'), { id: "N" }, "invalid-value"],
    ["empty binary", tokenOf('{"id":{"B":""}}'), { id: "B" }, "invalid-value"],
    ["binary that is not base64url", tokenOf('{"id":{"B":"AQ=="}}'), { id: "B" }, "invalid-value"],
    [
      "binary over 2,048 bytes",
      tokenOf(JSON.stringify({ id: { B: Buffer.alloc(2049, 7).toString("base64url") } })),
      { id: "B" },
      "invalid-value",
    ],
  ];
  for (const [what, token, schema, reason] of cases) {
    it(`${what} (${reason})`, () => {
      assert.throws(
        () => decodeCursor(token, schema),
        (error) => {
          assert.ok(error instanceof InvalidCursorError);
          assert.equal(error.name, "InvalidCursorError");
          assert.equal(error.reason, reason);
          assert.match(error.message, /^Invalid cursor: [^\n]+\.$/);
          return true;
        },
      );
    });
  }

  it("a value that is not a string at all", () => {
    assert.throws(() => decodeCursor(42 as unknown as string, { id: "S" }), {
      name: "InvalidCursorError",
      reason: "not-base64url",
    });
  });

  it("keeps long attribute names out of the message", () => {
    const name = "x".repeat(5000);
    assert.throws(
      () => decodeCursor(tokenOf(JSON.stringify({ id: { S: "a" }, [name]: { S: "b" } })), { id: "S" }),
      (error) => error instanceof InvalidCursorError && error.message.length < 200,
    );
  });

  it("every one-character change of a valid token: a valid key for the schema or InvalidCursorError, nothing else", () => {
    const schema: KeySchema = { pk: "S", sk: "N", bin: "B" };
    const token = encodeCursor({ pk: "user#12", sk: 3.5, bin: new Uint8Array([1, 2, 3, 4]) });
    const replacements = ["A", "z", "0", "-", "_", "+", "=", "."];
    let decoded = 0;
    let rejected = 0;
    for (let position = 0; position < token.length; position++) {
      for (const replacement of replacements) {
        const mutated = token.slice(0, position) + replacement + token.slice(position + 1);
        try {
          const key = decodeCursor(mutated, schema);
          assert.deepEqual(Object.keys(key).sort(), ["bin", "pk", "sk"]);
          assert.equal(typeof key.pk, "string");
          assert.ok(Number.isFinite(key.sk));
          assert.ok(key.bin instanceof Uint8Array && key.bin.byteLength > 0);
          decoded++;
        } catch (error) {
          assert.ok(error instanceof InvalidCursorError, `unexpected ${String(error)} for ${mutated}`);
          rejected++;
        }
      }
    }
    assert.ok(rejected > 0 && decoded > 0);
  });

  it("a schema that is not a key schema, as a programming error", () => {
    assert.throws(() => decodeCursor(encodeCursor({ id: "a" }), {}), TypeError);
    assert.throws(() => decodeCursor(encodeCursor({ id: "a" }), { id: "SS" } as unknown as KeySchema), TypeError);
  });
});

describe("cursors against DynamoDB", { timeout: 10_000 }, () => {
  let db: LocalDynamo;

  before(async () => {
    db = await startLocalDynamo();
    await createTable(db, "composite", ["pk", "S"], ["sk", "N"]);
    await createTable(db, "binary", ["id", "B"]);
    const composite = Array.from({ length: 120 }, (_, i) => ({ pk: `shop#${i % 7}`, sk: i * 1.5 - 40 }));
    await putItems(db, "composite", composite);
    const binary = Array.from({ length: 120 }, (_, i) => ({ id: new Uint8Array([i, 255 - i, 0]) }));
    await putItems(db, "binary", binary);
  });

  after(async () => {
    await db.close();
  });

  const resumeThroughCursors = async (
    table: string,
    schema: KeySchema,
    describeItem: (item: Record<string, unknown>) => string,
  ) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let passes = 0;
    do {
      const startKey = cursor === undefined ? undefined : decodeCursor(cursor, schema);
      let lastKey: Key | undefined;
      for await (const page of scanPages(db.doc, { table, pageSize: 16, maxItems: 50, startKey })) {
        seen.push(...page.items.map(describeItem));
        lastKey = page.lastKey;
      }
      cursor = lastKey === undefined ? undefined : encodeCursor(lastKey);
      passes++;
    } while (cursor !== undefined);
    return { seen, passes };
  };

  it("resumes a composite S + N key table through encoded cursors, each item once", async () => {
    const { seen, passes } = await resumeThroughCursors(
      "composite",
      { pk: "S", sk: "N" },
      (item) => `${item.pk}/${item.sk}`,
    );
    assert.equal(passes, 3);
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120);
  });

  it("resumes a binary key table through encoded cursors, each item once", async () => {
    const { seen, passes } = await resumeThroughCursors("binary", { id: "B" }, (item) =>
      Buffer.from(item.id as Uint8Array).toString("hex"),
    );
    assert.equal(passes, 3);
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120);
  });
});
