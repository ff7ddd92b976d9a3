import assert from "node:assert/strict";
import { test } from "node:test";
import { generateBike } from "../seed/bike-generator";
import { isIncomplete } from "./bike";
import { checkBikeRecord } from "./bike-record";

test("a whole bike passes as it is", () => {
  const bike = generateBike(7);
  assert.deepEqual(checkBikeRecord(bike), bike);
  assert.equal(isIncomplete(checkBikeRecord(bike)), false);
});

test("attributes that are not a bike's fields are dropped", () => {
  const checked = checkBikeRecord({ ...generateBike(7), secret: "internal", __proto__x: 1 });
  assert.deepEqual(Object.keys(checked).sort(), Object.keys(generateBike(7)).sort());
});

test("a missing or mistyped field makes the item incomplete, keeping the valid fields", () => {
  const bike = generateBike(3);
  const checked = checkBikeRecord({ ...bike, price: "1249.99", weightKg: undefined, secret: 1 });
  assert.ok(isIncomplete(checked));
  assert.deepEqual(checked.incomplete, ["price", "weightKg"]);
  assert.equal(checked.id, bike.id);
  assert.equal(checked.brand, bike.brand);
  assert.equal(checked.stock, bike.stock);
  assert.equal("price" in checked, false);
  assert.equal("secret" in checked, false);
});

for (const [field, value] of [
  ["stock", '<b id="pwn">7</b>'],
  ["stock", 2.5],
  ["stock", -1],
  ["year", 1492],
  ["price", Number.NaN],
  ["price", -1],
  ["weightKg", 0],
  ["type", "unicycle"],
  ["brand", ""],
  ["brand", "x".repeat(201)],
  ["colour", 7],
  ["description", { html: "<p>" }],
] as const) {
  test(`${field} = ${JSON.stringify(value)} is not valid`, () => {
    const checked = checkBikeRecord({ ...generateBike(1), [field]: value });
    assert.ok(isIncomplete(checked));
    assert.deepEqual(checked.incomplete, [field]);
  });
}

test("markup in text fields is valid text: it is escaped where shown, not refused", () => {
  const bike = { ...generateBike(1), brand: "<script>alert(1)</script>", model: "</td></tr>" };
  assert.deepEqual(checkBikeRecord(bike), bike);
});

test("anything at all gets an answer, never an exception", () => {
  for (const item of [null, undefined, 42, "bike", [], {}, { id: 5 }]) {
    const checked = checkBikeRecord(item);
    assert.ok(isIncomplete(checked));
    assert.equal(typeof checked.id, "string");
  }
  assert.equal(checkBikeRecord({ id: 5 }).id, "5");
});
