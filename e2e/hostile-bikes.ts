// Items that mean harm, written straight into the table by e2e/hostile-data.spec.ts: each stands for
// a way bad data has broken a page or a download (docs/decisions/024-hostile-items-cost-one-row.md).
import type { Bike } from "../lib/bike";
import { generateBike } from "../seed/bike-generator";

/** A whole, valid bike to start from, so each item below breaks exactly what it names. */
function base(id: string): Bike {
  return { ...generateBike(0, 97), id };
}

/** Missing `weightKg` and a string `price`: once this made `/bikes` a "Something went wrong". */
export const MALFORMED = {
  ...base("hostile-malformed"),
  weightKg: undefined,
  price: "1249.99",
} as Record<string, unknown>;

/** Markup where a number belongs: it once went into the rows' HTML unescaped. */
export const STOCK_MARKUP = { ...base("hostile-stock-markup"), stock: '<b id="pwn">7</b>' } as Record<string, unknown>;

/** Valid text that a spreadsheet would run as formulas, and a negative-looking model. */
export const FORMULAS: Bike = {
  ...base("hostile-formulas"),
  brand: '=HYPERLINK("http://evil.example","click")',
  model: "@SUM(1+1)",
  colour: "+cmd|' /C calc'!A0",
  description: "-2+3 is also a formula",
};

/** Valid text full of markup, quotes and ampersands, in every field a row or a page shows. */
export const MARKUP: Bike = {
  ...base(`hostile-markup-"'&<i>`),
  brand: "<script>document.title='pwned'</script>",
  model: '</td></tr></tbody></table><meta http-equiv="refresh" content="0;url=about:blank">',
  frameSize: "<img src=x onerror=\"document.title='pwned'\">",
  wheelSize: 'Tom & Jerry\'s "700c"',
  colour: "</th><th>",
  description: "<style>body{display:none}</style>",
};

export const HOSTILE_ITEMS: Record<string, unknown>[] = [MALFORMED, STOCK_MARKUP, { ...FORMULAS }, { ...MARKUP }];
