import assert from "node:assert/strict";
import { test } from "node:test";
import type { Bike } from "../../lib/bike";
import { checkBikeRecord } from "../../lib/bike-record";
import { bikeRowCells } from "./BikeRows";
import { type BikeRowCells, bikeRowsHtml } from "./ScanPageRows";

/** A whole bike; components' tests do not import the seed tooling (docs/architecture.md). */
function generateBike(n: number): Bike {
  return {
    id: `bike-test-${n}`,
    brand: "Alder",
    model: "Aero 3",
    type: "road",
    frameSize: "M",
    wheelSize: "700c",
    colour: "teal",
    year: 2024,
    price: 1249.99,
    weightKg: 8.4,
    stock: 7,
    description: "A test bike.",
  };
}

const HOSTILE = `<img src=x onerror="alert(1)">'&"</td></tr>`;

test("every cell is escaped, the numeric ones included", () => {
  // As if a value had slipped past the check: year and stock are written through the escaper too.
  const cells = Array.from({ length: 10 }, () => HOSTILE) as unknown as BikeRowCells;
  const html = bikeRowsHtml([cells]);
  assert.doesNotMatch(html, /<img|onerror="/);
  const escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&quot;&lt;/td&gt;&lt;/tr&gt;";
  // data-bike-id, the link text and the eight cells.
  assert.equal(html.split(escaped).length - 1, 10);
});

test("a row's markup is one <tr> with a header cell and nine cells", () => {
  const html = bikeRowsHtml([bikeRowCells(generateBike(4))]);
  assert.equal(html.match(/<tr /g)?.length, 1);
  assert.equal(html.match(/<th scope="row">/g)?.length, 1);
  assert.equal(html.match(/<td/g)?.length, 8);
});

test("an incomplete item is a marked row with its id, a dash for each bad field", () => {
  const bike = generateBike(4);
  const html = bikeRowsHtml([bikeRowCells(checkBikeRecord({ ...bike, price: "x", stock: "<b>7</b>" }))]);
  assert.match(html, new RegExp(`^<tr data-bike-id="${bike.id}" data-incomplete>`));
  assert.match(html, new RegExp(`This bike's record \\(${bike.id}\\) is incomplete\\.`));
  assert.match(html, /<td class="num">—<\/td><td class="num">—<\/td><\/tr>$/);
  assert.doesNotMatch(html, /<b>/);
});

test("an item without a name links by its id", () => {
  const bike = generateBike(4);
  const html = bikeRowsHtml([bikeRowCells(checkBikeRecord({ ...bike, brand: 3 }))]);
  assert.match(html, new RegExp(`<a href="/bikes/${bike.id}">${bike.id}</a>`));
});
