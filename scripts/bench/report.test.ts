// The report and the chart from the run that BENCHMARKS.md reports on (its raw figures are
// committed under bench/results/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../stack";
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
    assert.equal(checks.length, 7);
    assert.ok(checks.every((check) => check.met !== undefined && check.value !== "not measured"));
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
