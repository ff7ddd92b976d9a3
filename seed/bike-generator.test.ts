import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { marshall } from "@aws-sdk/util-dynamodb";
import { BIKE_TYPES } from "../lib/bike";
import { generateBike, generateBikes } from "./bike-generator";

describe("generateBike", () => {
  it("gives the same bike for the same seed and index", () => {
    assert.deepEqual(generateBike(123, 7), generateBike(123, 7));
    assert.deepEqual([...generateBikes(5, 3)], [...generateBikes(5, 3)]);
  });

  it("gives different bikes for different indexes and seeds", () => {
    assert.notDeepEqual(generateBike(1), generateBike(2));
    assert.notEqual(generateBike(1, 1).description, generateBike(1, 2).description);
  });

  it("makes unique ids in catalog order", () => {
    const ids = [...generateBikes(5000)].map((bike) => bike.id);
    assert.equal(new Set(ids).size, 5000);
    assert.equal(ids[42], "bike-1-0000042");
  });

  it("continues from start", () => {
    assert.deepEqual([...generateBikes(3, 1, 10)], [generateBike(10), generateBike(11), generateBike(12)]);
  });

  it("makes realistic items of about 300–500 bytes", () => {
    const sizes = [...generateBikes(2000)].map((bike) => {
      // DynamoDB's item size: attribute names plus values, close to the marshalled JSON length.
      const item = marshall(bike);
      return Object.entries(item).reduce(
        (sum, [name, value]) => sum + name.length + JSON.stringify(Object.values(value)[0]).length,
        0,
      );
    });
    const sorted = sizes.sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    assert.ok(median >= 300 && median <= 500, `median item size ${median}`);
    for (const bike of generateBikes(200)) {
      assert.ok(BIKE_TYPES.includes(bike.type));
      assert.ok(bike.price >= 300 && bike.price <= 10000);
      assert.ok(bike.year >= 2018 && bike.year <= 2026);
      assert.ok(Number.isInteger(bike.stock) && bike.stock >= 0);
    }
  });
});
