// The bench's chart (bench/results/<date>.svg): the median browser timeline of each variant at each
// size, then the wire timings of every size on one log axis.
import { type Lane, type LaneGroup, type Panel, renderChart } from "../harness/svg-chart";
import type { BenchResult } from "./result";

const COLOURS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#f08c00", "#495057", "#0ca678", "#c2255c"];
const WAITING = "#ced4da";
const LEGEND = "#495057";
/** Start of the log axis, ms: below any TTFB measured here. */
const LOG_AXIS_MIN = 5;

const n = (value: number) => value.toLocaleString("en-US");
const ms = (value: number, digits = 0) => `${value.toFixed(digits)} ms`;

function browserPanels(result: BenchResult): Panel[] {
  return result.sizes.flatMap((size): Panel[] => {
    const lanes = result.targets.flatMap((t, i): Lane[] => {
      const s = size.browser[t.key]?.sample;
      if (!s) return [];
      const colour = COLOURS[i % COLOURS.length]!;
      return [
        {
          label: t.label,
          marks: [
            { from: 0, to: s.responseStart, style: "bar", colour: WAITING },
            { from: s.firstRow.visible, to: s.lastRow.visible, style: "band", colour },
            { at: s.responseStart, shape: "dot", colour, title: `first byte: ${ms(s.responseStart)}` },
            { at: s.shell.visible, shape: "square", colour, title: `shell: ${ms(s.shell.visible)}` },
            { at: s.firstRow.visible, shape: "diamond", colour, title: `first row: ${ms(s.firstRow.visible)}` },
            { at: s.lastRow.visible, shape: "diamond", colour, title: `last row: ${ms(s.lastRow.visible)}` },
            { at: s.hydrated, shape: "tick", colour, title: `hydrated: ${ms(s.hydrated)}` },
          ],
        },
      ];
    });
    if (lanes.length === 0) return [];
    const samples = result.targets.flatMap((t) => size.browser[t.key]?.sample ?? []);
    return [
      {
        title: `In Chromium, ${n(size.bikes)} bikes (median run by last row visible), ms from navigation start`,
        axis: { scale: "linear", max: Math.max(...samples.map((s) => Math.max(s.lastRow.visible, s.hydrated))) },
        groups: [{ lanes }],
      },
    ];
  });
}

function wirePanel(result: BenchResult): Panel[] {
  const groups = result.sizes.flatMap((size): LaneGroup[] => {
    const lanes = result.targets.flatMap((t, i): Lane[] => {
      const h = size.http[t.key];
      if (!h?.totalMs) return [];
      const colour = COLOURS[i % COLOURS.length]!;
      const end = h.totalMs.median;
      return [
        {
          label: `${t.label}${t.bandwidth ? ` (${t.bandwidth})` : ""}`,
          marks: [
            { from: LOG_AXIS_MIN, to: end, style: "line", colour },
            ...(h.ttfbMs
              ? [{ at: h.ttfbMs.median, shape: "dot" as const, colour, title: `TTFB ${ms(h.ttfbMs.median, 1)}` }]
              : []),
            ...(h.firstItemMs
              ? [
                  {
                    at: h.firstItemMs.median,
                    shape: "diamond" as const,
                    colour,
                    title: `first item ${ms(h.firstItemMs.median, 1)}`,
                  },
                ]
              : []),
            { at: end, shape: "tick", colour, title: `end ${ms(end)}` },
          ],
        },
      ];
    });
    return lanes.length > 0 ? [{ heading: `${n(size.bikes)} bikes`, lanes }] : [];
  });
  if (groups.length === 0) return [];
  const max = Math.max(...result.sizes.flatMap((s) => Object.values(s.http).map((h) => h.totalMs?.median ?? 0)));
  return [
    {
      title: "On the wire: medians, log scale",
      axis: { scale: "log", min: LOG_AXIS_MIN, max },
      groups,
    },
  ];
}

export function renderBenchChart(result: BenchResult): string {
  return renderChart({
    title: `Firstbyte benchmark — ${result.date.slice(0, 10)}`,
    labelWidth: 330,
    width: 1100,
    panels: [...browserPanels(result), ...wirePanel(result)],
    legend: [
      { label: "waiting for the first byte", colour: WAITING, span: "bar" },
      { label: "first byte (TTFB)", colour: LEGEND, shape: "dot" },
      { label: "shell visible", colour: LEGEND, shape: "square" },
      { label: "first / last row visible; on the wire: first item", colour: LEGEND, shape: "diamond" },
      { label: "rows appearing", colour: LEGEND, span: "band" },
      { label: "hydrated; on the wire: end of body", colour: LEGEND, shape: "tick" },
    ],
  });
}
