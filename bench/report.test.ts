// The report and the chart from the run that BENCHMARKS.md reports on (its raw figures are
// committed under bench/results/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../harness/stack";
import { renderBenchChart } from "./chart";
import { readResult } from "./output";
import { checkTargets, renderBenchmarksMarkdown } from "./report";

const benchmarks = readFileSync(path.join(ROOT, "BENCHMARKS.md"), "utf8");
const json = /Raw figures: \[(bench\/results\/[^\]]+\.json)\]/.exec(benchmarks)?.[1];
const svg = /timelines: \[(bench\/results\/[^\]]+\.svg)\]/.exec(benchmarks)?.[1];

describe("bench report", () => {
  it("BENCHMARKS.md is what the report renders from its raw figures (else: npm run bench -- --report FILE)", async () => {
    assert.ok(json && svg, "BENCHMARKS.md names no raw figures and chart");
    const result = await readResult(path.join(ROOT, json));
    assert.equal(renderBenchmarksMarkdown(result, svg, json), benchmarks);
  });

  it("checks every target on the figures", async () => {
    const result = await readResult(path.join(ROOT, json!));
    const checks = checkTargets(result);
    assert.equal(checks.length, 12);
    assert.ok(checks.every((check) => check.met !== undefined && check.value !== "not measured"));
  });

  it("adds the cold starts' table and target when a result has them, floor first, in the variants' labels", async () => {
    const result = await readResult(path.join(ROOT, json!));
    const summary = (median: number) => ({ median, min: median - 1, max: median + 1, n: 5 });
    const cold = (ttfb: number, init: number, floorInit: number) => ({
      n: 5,
      status: [200, 200, 200, 200, 200],
      ttfbMs: summary(ttfb),
      firstItemMs: summary(ttfb + 5),
      initMs: summary(init),
      runtimeReadyMs: summary(floorInit),
      importMs: summary(init - floorInit),
      firstRequestMs: summary(ttfb - init),
      cpuMs: summary(init + 100),
      runs: [],
    });
    const first = result.sizes[0]!;
    first.cold = { floor: cold(90, 60, 60), "streamed@aws": cold(240, 150, 60) };
    const markdown = renderBenchmarksMarkdown(result, svg!, json!);
    const table = markdown.indexOf("| variant | n | cold TTFB ms |");
    assert.ok(table > markdown.indexOf(`## ${first.bikes.toLocaleString("en-US")} bikes`));
    const floorRow = markdown.indexOf("| floor: a trivial streaming handler", table);
    const streamedRow = markdown.indexOf(
      "| /bikes streamed · lambda-url | 5 | 240 (239–241) | 245 (244–246) | 150 (149–151) | 60 (59–61) | 90 (89–91) | 90 (89–91) | 250 (249–251) |",
      table,
    );
    assert.ok(floorRow > table && streamedRow > floorRow);
    const check = checkTargets(result).at(-1);
    assert.match(check?.name ?? "", /^Cold start: \/bikes TTFB/);
    assert.equal(check?.met, true);
  });

  it("charts the browser timeline of every variant loaded, then every variant on the wire, size by size", async () => {
    const result = await readResult(path.join(ROOT, json!));
    const chart = renderBenchChart(result);
    let from = 0;
    const next = (text: string) => {
      const at = chart.indexOf(text, from);
      assert.ok(at >= 0, `${text} missing after offset ${from}`);
      from = at + text.length;
    };
    for (const size of result.sizes) {
      if (!result.targets.some((t) => size.browser[t.key]?.sample)) continue;
      next(`In Chromium, ${size.bikes.toLocaleString("en-US")} bikes`);
      for (const t of result.targets) if (size.browser[t.key]?.sample) next(`>${t.label}<`);
    }
    next("On the wire");
    for (const size of result.sizes) {
      next(`>${size.bikes.toLocaleString("en-US")} bikes<`);
      for (const t of result.targets)
        if (size.http[t.key]?.totalMs) next(`>${t.label}${t.bandwidth ? ` (${t.bandwidth})` : ""}<`);
    }
  });
});
