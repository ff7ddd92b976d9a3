import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTick, niceStep, renderChart, scaleOf } from "./svg-chart";

/** Every element closes, in order; the document is one <svg>. */
function assertWellFormed(svg: string): void {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
    if (closing) assert.equal(open.pop(), name, `</${name}> closes something else`);
    else if (!selfClosing) open.push(name!);
  }
  assert.deepEqual(open, [], "unclosed elements");
  assert.match(svg, /^<svg [^>]*>[\s\S]*<\/svg>\n$/);
}

const attributes = (svg: string, element: string, name: string) =>
  [...svg.matchAll(new RegExp(`<${element} [^>]*?\\b${name}="([-\\d.]+)"`, "g"))].map((m) => Number(m[1]));

describe("svg-chart", () => {
  it("linear axis: 1, 2 or 5 × 10^k steps from 0 to at least the max, ends at the plot's edges", () => {
    for (const max of [1, 7, 386, 1_210, 9_999, 24_446]) {
      const { ticks, x } = scaleOf({ scale: "linear", max }, 100, 900);
      const step = ticks[1]! - ticks[0]!;
      assert.equal(ticks[0], 0);
      assert.ok(ticks.at(-1)! >= max && ticks.at(-1)! - step < max, `${max}: ${ticks}`);
      assert.ok(ticks.length <= 9, `${max}: ${ticks.length} ticks`);
      assert.match(String(step / 10 ** Math.floor(Math.log10(step))), /^[125]$/);
      assert.equal(x(0), 100);
      assert.equal(x(ticks.at(-1)!), 900);
      assert.equal(x(-5), 100, "values below the axis sit on its start");
    }
    assert.equal(niceStep(800), 100);
    assert.equal(niceStep(1_210), 200);
  });

  it("log axis: decades from the min past the max, evenly spaced", () => {
    const { ticks, x } = scaleOf({ scale: "log", min: 5, max: 35_438 }, 0, 500);
    assert.deepEqual(ticks, [5, 50, 500, 5_000, 50_000]);
    assert.deepEqual(ticks.map(x), [0, 125, 250, 375, 500]);
    assert.equal(x(1), 0);
    assert.throws(() => scaleOf({ scale: "log", min: 0, max: 10 }, 0, 1), /log axis starts above 0/);
  });

  it("formats ticks in ms below a second and in s from there", () => {
    assert.deepEqual([0, 200, 1_000, 1_500, 50_000].map(formatTick), ["0 ms", "200 ms", "1 s", "1.5 s", "50 s"]);
  });

  it("draws lanes in order, marks left to right by time, spans under moments, labels escaped", () => {
    const svg = renderChart({
      title: "A <chart> & more",
      panels: [
        {
          title: "first panel",
          axis: { scale: "linear", max: 1_000 },
          groups: [
            {
              heading: "group one",
              note: "HTTP 200",
              lanes: [
                {
                  label: "lane a",
                  marks: [
                    { at: 600, shape: "dot", colour: "#111111", title: "late" },
                    { from: 0, to: 600, style: "bar", colour: "#222222" },
                    { at: 100, shape: "ring", colour: "#111111" },
                  ],
                  value: "100 → 600 ms",
                },
                { label: "lane b", marks: [{ at: 950, shape: "diamond", colour: "#333333" }], value: "950 ms" },
              ],
            },
          ],
        },
      ],
      legend: [{ label: "waiting", colour: "#222222", span: "bar" }],
    });
    assertWellFormed(svg);
    assert.ok(svg.includes("A &lt;chart&gt; &amp; more"));
    const order = ["A &lt;chart&gt;", "first panel", "group one", "HTTP 200", "lane a", "lane b", "waiting"];
    const at = order.map((text) => svg.indexOf(text));
    assert.ok(
      at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)),
      `out of order: ${order} at ${at}`,
    );

    const [late, early] = attributes(svg, "circle", "cx");
    assert.ok(early! < late!, "the mark at 100 ms is left of the one at 600 ms");
    assert.ok(svg.indexOf('fill="#222222"') < svg.indexOf('fill="#111111"'), "the span is drawn under the moments");
    assert.ok(svg.includes("<title>late</title>"));
    // Lane a's value goes right of its last mark; lane b's mark is near the right edge, so its value goes left.
    assert.match(svg, /text-anchor="start"[^>]*>100 → 600 ms</);
    assert.match(svg, /text-anchor="end"[^>]*>950 ms</);
  });

  it("stacks panels: each one below the last, the height covering them all", () => {
    const panel = (title: string) => ({
      title,
      axis: { scale: "log" as const, min: 5, max: 500 },
      groups: [{ lanes: [{ label: `${title} lane`, marks: [{ at: 50, shape: "tick" as const, colour: "#000" }] }] }],
    });
    const svg = renderChart({ title: "two", panels: [panel("upper"), panel("lower")] });
    assertWellFormed(svg);
    const y = (text: string) => Number(new RegExp(`y="([\\d.]+)"[^>]*>${text}<`).exec(svg)?.[1]);
    assert.ok(y("upper") < y("upper lane") && y("upper lane") < y("lower") && y("lower") < y("lower lane"));
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    assert.ok(height > y("lower lane"));
  });
});
