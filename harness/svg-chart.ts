// The one chart module: every timing the project draws (the page timelines attached to the e2e
// report, the bench's chart) is labelled lanes of marks on a horizontal time axis, linear or log.
// The chart is SVG text built without a DOM, so it renders in Node, in the Playwright runner and in
// the bench alike. Why no charting library: docs/decisions/009-one-svg-chart-module.md.
import { escapeHtml } from "../lib/escape-html";

/** A mark at one moment. */
export type Shape = "dot" | "ring" | "square" | "diamond" | "tick";
/** A mark from one moment to another: a rounded bar, a translucent band, a solid or a dashed line. */
export type SpanStyle = "bar" | "band" | "line" | "dashed";

export interface PointMark {
  at: number;
  shape: Shape;
  colour: string;
  /** Tooltip. */
  title?: string;
}

export interface SpanMark {
  from: number;
  to: number;
  style: SpanStyle;
  colour: string;
  title?: string;
}

export type Mark = PointMark | SpanMark;

export interface Lane {
  label: string;
  marks: Mark[];
  /** Written beside the marks: right of the last one, or left of the first one near the right edge. */
  value?: string;
}

export interface LaneGroup {
  heading?: string;
  /** Written after the heading, in grey. */
  note?: string;
  lanes: Lane[];
}

/** Milliseconds. A log axis starts at `min`; values below it sit on the axis's start. */
export type Axis = { scale: "linear"; max: number } | { scale: "log"; min: number; max: number };

export interface Panel {
  title?: string;
  axis: Axis;
  groups: LaneGroup[];
}

export interface LegendEntry {
  label: string;
  colour: string;
  span?: SpanStyle;
  /** Drawn at the span's end when both are given. */
  shape?: Shape;
}

export interface Chart {
  title: string;
  panels: Panel[];
  legend?: LegendEntry[];
  /** Room for the lane labels left of the plot, px. */
  labelWidth?: number;
  width?: number;
}

/** A tick step of 1, 2 or 5 × 10^k giving at most `count` steps up to `max`. */
export function niceStep(max: number, count = 8): number {
  const rough = Math.max(max, Number.MIN_VALUE) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5]) if (factor * magnitude >= rough) return factor * magnitude;
  return 10 * magnitude;
}

/** An axis laid between two x positions: its ticks (first and last at the ends) and the position of a value. */
export interface Scale {
  ticks: number[];
  x(value: number): number;
}

export function scaleOf(axis: Axis, left: number, right: number): Scale {
  if (axis.scale === "linear") {
    const max = axis.max > 0 ? axis.max : 1;
    const step = niceStep(max);
    const steps = Math.ceil(max / step - 1e-9);
    const end = steps * step;
    const ticks = Array.from({ length: steps + 1 }, (_, i) => i * step);
    return { ticks, x: (value) => left + (Math.min(Math.max(value, 0), end) / end) * (right - left) };
  }
  if (!(axis.min > 0)) throw new RangeError(`a log axis starts above 0, not at ${axis.min}`);
  const ticks = [axis.min];
  while (ticks[ticks.length - 1]! < axis.max) ticks.push(ticks[ticks.length - 1]! * 10);
  if (ticks.length === 1) ticks.push(axis.min * 10);
  const decades = ticks.length - 1;
  const end = ticks[decades]!;
  return {
    ticks,
    x: (value) => left + (Math.log10(Math.min(Math.max(value, axis.min), end) / axis.min) / decades) * (right - left),
  };
}

/** `0 ms`, `250 ms`, `1.5 s`. */
export function formatTick(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(3))} ms`;
}

const MARGIN = 16;
const TITLE_HEIGHT = 40;
const PANEL_TITLE_HEIGHT = 26;
const TICK_LABELS_HEIGHT = 22;
const LANE_HEIGHT = 20;
const HEADING_HEIGHT = 20;
const GROUP_GAP = 8;
const LEGEND_HEIGHT = 40;
const TEXT = "#374151";
const MUTED = "#6b7280";
const GRID = "#e5e7eb";
const AXIS = "#9ca3af";

const px = (value: number) => Number(value.toFixed(1));
const groupHeight = (group: LaneGroup) => (group.heading ? HEADING_HEIGHT : 0) + group.lanes.length * LANE_HEIGHT;
const isSpan = (mark: Mark): mark is SpanMark => "from" in mark;
const tooltip = (title: string | undefined) => (title ? `<title>${escapeHtml(title)}</title>` : "");

function point(x: number, y: number, shape: Shape, colour: string, title?: string): string {
  const t = tooltip(title);
  switch (shape) {
    case "dot":
      return `<circle cx="${px(x)}" cy="${y}" r="5" fill="${colour}">${t}</circle>`;
    case "ring":
      return `<circle cx="${px(x)}" cy="${y}" r="5" fill="#ffffff" stroke="${colour}" stroke-width="2">${t}</circle>`;
    case "square":
      return `<rect x="${px(x - 4)}" y="${y - 4}" width="8" height="8" fill="#ffffff" stroke="${colour}" stroke-width="2">${t}</rect>`;
    case "diamond":
      return `<path d="M${px(x)} ${y - 6}L${px(x + 6)} ${y}L${px(x)} ${y + 6}L${px(x - 6)} ${y}Z" fill="${colour}">${t}</path>`;
    case "tick":
      return `<rect x="${px(x - 1.5)}" y="${y - 8}" width="3" height="16" fill="${colour}">${t}</rect>`;
  }
}

function span(x1: number, x2: number, y: number, style: SpanStyle, colour: string, title?: string): string {
  const [from, to] = x1 <= x2 ? [x1, x2] : [x2, x1];
  const t = tooltip(title);
  switch (style) {
    case "bar":
      return `<rect x="${px(from)}" y="${y - 4}" width="${px(to - from)}" height="8" rx="2" fill="${colour}">${t}</rect>`;
    case "band":
      return `<rect x="${px(from)}" y="${y - 6}" width="${px(Math.max(2, to - from))}" height="12" fill="${colour}" opacity="0.35">${t}</rect>`;
    case "line":
      return `<line x1="${px(from)}" y1="${y}" x2="${px(to)}" y2="${y}" stroke="${colour}" stroke-width="3" opacity="0.5">${t}</line>`;
    case "dashed":
      return `<line x1="${px(from)}" y1="${y}" x2="${px(to)}" y2="${y}" stroke="${colour}" stroke-width="3" stroke-dasharray="4 3">${t}</line>`;
  }
}

/** The chart as an SVG document. */
export function renderChart(chart: Chart): string {
  const width = chart.width ?? 1000;
  const plotLeft = MARGIN + (chart.labelWidth ?? 200) + 14;
  const plotRight = width - 60;
  const out: string[] = [
    `<text x="${MARGIN}" y="26" font-size="16" font-weight="600" fill="#111827">${escapeHtml(chart.title)}</text>`,
  ];
  let y = TITLE_HEIGHT;

  for (const panel of chart.panels) {
    const scale = scaleOf(panel.axis, plotLeft, plotRight);
    if (panel.title) {
      y += PANEL_TITLE_HEIGHT;
      out.push(
        `<text x="${MARGIN}" y="${y - 8}" font-size="14" font-weight="600" fill="#111827">${escapeHtml(panel.title)}</text>`,
      );
    }
    y += TICK_LABELS_HEIGHT;
    const plotTop = y;
    const plotBottom =
      plotTop + panel.groups.reduce((sum, group) => sum + groupHeight(group), 0) + GROUP_GAP * panel.groups.length;
    for (const [index, tick] of scale.ticks.entries()) {
      const x = px(scale.x(tick));
      out.push(
        `<line x1="${x}" y1="${plotTop - 4}" x2="${x}" y2="${plotBottom}" stroke="${index === 0 ? AXIS : GRID}"/>`,
        `<text x="${x}" y="${plotTop - 8}" font-size="11" text-anchor="middle" fill="${MUTED}">${formatTick(tick)}</text>`,
      );
    }
    y += GROUP_GAP / 2;
    for (const [index, group] of panel.groups.entries()) {
      if (index % 2 === 1)
        out.push(
          `<rect x="${MARGIN / 2}" y="${y - GROUP_GAP / 2}" width="${width - MARGIN}" height="${groupHeight(group) + GROUP_GAP}" fill="#f3f4f6" opacity="0.6" rx="4"/>`,
        );
      if (group.heading) {
        out.push(
          `<text x="${MARGIN}" y="${y + 14}" font-size="12" font-weight="600" fill="#111827">${escapeHtml(group.heading)}${group.note ? `<tspan font-weight="400" fill="${MUTED}">  ${escapeHtml(group.note)}</tspan>` : ""}</text>`,
        );
        y += HEADING_HEIGHT;
      }
      for (const lane of group.lanes) {
        const centre = y + LANE_HEIGHT / 2;
        out.push(
          `<text x="${MARGIN + (group.heading ? 12 : 0)}" y="${centre + 4}" font-size="12" fill="${TEXT}">${escapeHtml(lane.label)}</text>`,
        );
        // Spans first, so the moments are drawn over them.
        for (const mark of lane.marks.filter(isSpan))
          out.push(span(scale.x(mark.from), scale.x(mark.to), centre, mark.style, mark.colour, mark.title));
        for (const mark of lane.marks)
          if (!isSpan(mark)) out.push(point(scale.x(mark.at), centre, mark.shape, mark.colour, mark.title));
        if (lane.value !== undefined && lane.marks.length > 0) {
          const xs = lane.marks.flatMap((mark) => (isSpan(mark) ? [mark.from, mark.to] : [mark.at])).map(scale.x);
          const right = Math.max(...xs);
          const beside = right < plotRight - 150;
          out.push(
            `<text x="${px(beside ? right + 10 : Math.min(...xs) - 10)}" y="${centre + 4}" font-size="12" text-anchor="${beside ? "start" : "end"}" fill="${TEXT}">${escapeHtml(lane.value)}</text>`,
          );
        }
        y += LANE_HEIGHT;
      }
      y += GROUP_GAP;
    }
    y = plotBottom + GROUP_GAP;
  }

  if (chart.legend && chart.legend.length > 0) {
    y += LEGEND_HEIGHT / 2;
    let x = MARGIN;
    for (const entry of chart.legend) {
      // Text is not measured without a DOM; 6.5 px a character fits the 12 px system sans.
      const entryWidth = 40 + entry.label.length * 6.5 + 24;
      if (x + entryWidth > width - MARGIN && x > MARGIN) {
        x = MARGIN;
        y += LANE_HEIGHT;
      }
      if (entry.span) out.push(span(x, x + 30, y, entry.span, entry.colour));
      if (entry.shape) out.push(point(x + (entry.span ? 30 : 15), y, entry.shape, entry.colour));
      out.push(`<text x="${x + 40}" y="${y + 4}" font-size="12" fill="${TEXT}">${escapeHtml(entry.label)}</text>`);
      x += entryWidth;
    }
    y += LEGEND_HEIGHT / 2;
  }

  const height = Math.ceil(y + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...out,
    "</svg>",
    "",
  ].join("\n");
}
