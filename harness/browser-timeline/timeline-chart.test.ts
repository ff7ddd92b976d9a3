// The e2e report's chart, drawn from page timelines Chromium recorded in the last bench run (its
// median samples are kept in bench/results/).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { BenchResult } from "../../bench/result";
import { ROOT } from "../stack";
import type { PageTimeline } from "./page-timeline";
import { renderTimelineSvg } from "./timeline-chart";

const benchmarks = readFileSync(path.join(ROOT, "BENCHMARKS.md"), "utf8");
const json = /Raw figures: \[(bench\/results\/[^\]]+\.json)\]/.exec(benchmarks)?.[1] ?? "";
const result = JSON.parse(readFileSync(path.join(ROOT, json), "utf8")) as BenchResult;
const recorded: PageTimeline[] = result.sizes.flatMap((size) =>
  Object.entries(size.browser).flatMap(([key, b]) =>
    b.sample ? [{ ...b.sample, label: `${key} <${size.bikes}>` }] : [],
  ),
);

describe("page timeline chart", () => {
  it("draws one group per page, its seven events in order, values beside them", () => {
    assert.ok(recorded.length >= 2, `${json} holds no recorded timelines`);
    const chart = renderTimelineSvg(recorded);
    let from = 0;
    const next = (text: string) => {
      const at = chart.indexOf(text, from);
      assert.ok(at >= 0, `${text} missing after offset ${from}`);
      from = at + text.length;
    };
    for (const t of recorded) {
      next(t.label.replace("<", "&lt;").replace(">", "&gt;"));
      next(`HTTP ${t.status} · ${t.rows.toLocaleString("en-US")} rows`);
      for (const lane of ["first byte (responseStart)", "shell", "first row", "last row", "DOMContentLoaded", "load"])
        next(`>${lane}<`);
      next(`>${Math.round(t.load).toLocaleString("en-US")} ms<`);
      next(">hydrated<");
    }
    next("waiting for the first byte");
  });
});
