// The timeline chart attached to the Playwright report: one group per recorded page, one lane per
// event, all on one ms axis so a streamed and a buffered page compare at a glance. Plain SVG text:
// the report shows image/svg+xml attachments as images, and no chart library is needed for this.
import { escapeHtml as escapeXml } from "../../lib/escape-html";
import type { ElementTiming, PageTimeline } from "./timing";

const WIDTH = 980;
const LABEL_WIDTH = 190;
const PLOT_LEFT = LABEL_WIDTH + 20;
const PLOT_RIGHT = WIDTH - 90;
const LANE_HEIGHT = 20;
const GROUP_GAP = 18;
const HEADER_HEIGHT = 22;
const TOP = 64;

const COLOURS = {
  waiting: "#c9ced6",
  responseStart: "#5b6170",
  shell: "#2f6fdf",
  firstRow: "#1a9b5b",
  lastRow: "#c2410c",
  domContentLoaded: "#7c3aed",
  load: "#9d174d",
  hydrated: "#0e7490",
} as const;

interface Lane {
  name: string;
  colour: string;
  /** A single moment, or an element's inserted → visible span. */
  at: number | ElementTiming;
}

function lanesOf(timeline: PageTimeline): Lane[] {
  return [
    { name: "first byte (responseStart)", colour: COLOURS.responseStart, at: timeline.responseStart },
    { name: "shell", colour: COLOURS.shell, at: timeline.shell },
    { name: "first row", colour: COLOURS.firstRow, at: timeline.firstRow },
    { name: "last row", colour: COLOURS.lastRow, at: timeline.lastRow },
    { name: "DOMContentLoaded", colour: COLOURS.domContentLoaded, at: timeline.domContentLoaded },
    { name: "load", colour: COLOURS.load, at: timeline.load },
    { name: "hydrated", colour: COLOURS.hydrated, at: timeline.hydrated },
  ];
}

/** A tick step of 1, 2 or 5 × 10^k giving at most ~10 ticks up to `max`. */
function tickStep(max: number): number {
  const rough = Math.max(max, 1) / 10;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= rough) return factor * magnitude;
  return 10 * magnitude;
}

const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

/** The chart as an SVG document. */
export function renderTimelineSvg(timelines: PageTimeline[]): string {
  const latest = Math.max(...timelines.flatMap((t) => [t.load, t.hydrated, t.domContentLoaded, t.lastRow.visible]));
  const step = tickStep(latest);
  const axisEnd = Math.ceil(latest / step) * step || step;
  const x = (value: number) => PLOT_LEFT + (Math.max(0, value) / axisEnd) * (PLOT_RIGHT - PLOT_LEFT);
  const groupHeight = HEADER_HEIGHT + lanesOf(timelines[0]!).length * LANE_HEIGHT;
  const plotBottom = TOP + timelines.length * (groupHeight + GROUP_GAP) - GROUP_GAP;
  const height = plotBottom + 70;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(
    `<text x="16" y="24" font-size="15" font-weight="600" fill="#111827">Page timeline in the browser (ms from navigation start)</text>`,
  );

  // Grid and axis labels, top and bottom.
  for (let tick = 0; tick <= axisEnd; tick += step) {
    const tx = x(tick).toFixed(1);
    out.push(
      `<line x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${plotBottom + 4}" stroke="${tick === 0 ? "#9ca3af" : "#e5e7eb"}"/>`,
    );
    out.push(
      `<text x="${tx}" y="${TOP - 14}" text-anchor="middle" fill="#6b7280">${tick.toLocaleString("en-US")}</text>`,
    );
    out.push(
      `<text x="${tx}" y="${plotBottom + 18}" text-anchor="middle" fill="#6b7280">${tick.toLocaleString("en-US")}</text>`,
    );
  }

  timelines.forEach((timeline, index) => {
    const groupTop = TOP + index * (groupHeight + GROUP_GAP);
    if (index % 2 === 1)
      out.push(
        `<rect x="8" y="${groupTop - 4}" width="${WIDTH - 16}" height="${groupHeight + 4}" fill="#f9fafb" rx="4"/>`,
      );
    out.push(
      `<text x="16" y="${groupTop + 13}" font-weight="600" fill="#111827">${escapeXml(timeline.label)}` +
        `<tspan font-weight="400" fill="#6b7280">  HTTP ${timeline.status} · ${timeline.rows.toLocaleString("en-US")} rows</tspan></text>`,
    );
    lanesOf(timeline).forEach((lane, laneIndex) => {
      const y = groupTop + HEADER_HEIGHT + laneIndex * LANE_HEIGHT + LANE_HEIGHT / 2;
      out.push(`<text x="28" y="${y + 4}" fill="#374151">${escapeXml(lane.name)}</text>`);
      // The value goes right of the last marker, or left of the first one near the right edge.
      let labelRight: number;
      let labelLeft: number;
      let labelText: string;
      if (typeof lane.at === "number") {
        if (lane.name.startsWith("first byte")) {
          // The wait for the first byte is the whole point of the comparison: draw it as a bar.
          out.push(
            `<rect x="${x(0).toFixed(1)}" y="${y - 4}" width="${(x(lane.at) - x(0)).toFixed(1)}" height="8" fill="${COLOURS.waiting}" rx="2"/>`,
          );
        }
        out.push(
          `<circle cx="${x(lane.at).toFixed(1)}" cy="${y}" r="5" fill="${lane.colour}"><title>${escapeXml(`${timeline.label}: ${lane.name} at ${ms(lane.at)}`)}</title></circle>`,
        );
        labelRight = labelLeft = x(lane.at);
        labelText = ms(lane.at);
      } else {
        const { inserted, visible } = lane.at;
        out.push(
          `<line x1="${x(inserted).toFixed(1)}" y1="${y}" x2="${x(visible).toFixed(1)}" y2="${y}" stroke="${lane.colour}" stroke-width="3" stroke-dasharray="4 3"/>`,
        );
        out.push(
          `<circle cx="${x(inserted).toFixed(1)}" cy="${y}" r="5" fill="#ffffff" stroke="${lane.colour}" stroke-width="2"><title>${escapeXml(`${timeline.label}: ${lane.name} inserted at ${ms(inserted)}`)}</title></circle>`,
        );
        out.push(
          `<circle cx="${x(visible).toFixed(1)}" cy="${y}" r="5" fill="${lane.colour}"><title>${escapeXml(`${timeline.label}: ${lane.name} visible at ${ms(visible)}`)}</title></circle>`,
        );
        labelRight = x(Math.max(inserted, visible));
        labelLeft = x(Math.min(inserted, visible));
        labelText = Math.round(inserted) === Math.round(visible) ? ms(visible) : `${ms(inserted)} → ${ms(visible)}`;
      }
      const rightOfMarker = labelRight < PLOT_RIGHT - 150;
      out.push(
        `<text x="${(rightOfMarker ? labelRight + 10 : labelLeft - 10).toFixed(1)}" y="${y + 4}" text-anchor="${rightOfMarker ? "start" : "end"}" fill="#374151">${escapeXml(labelText)}</text>`,
      );
    });
  });

  // Legend.
  const legendY = plotBottom + 44;
  out.push(`<rect x="${PLOT_LEFT}" y="${legendY - 4}" width="24" height="8" fill="${COLOURS.waiting}" rx="2"/>`);
  out.push(`<text x="${PLOT_LEFT + 30}" y="${legendY + 4}" fill="#374151">waiting for the first byte</text>`);
  out.push(`<circle cx="${PLOT_LEFT + 210}" cy="${legendY}" r="5" fill="#ffffff" stroke="#374151" stroke-width="2"/>`);
  out.push(
    `<text x="${PLOT_LEFT + 220}" y="${legendY + 4}" fill="#374151">inserted into the DOM (hidden or not)</text>`,
  );
  out.push(
    `<line x1="${PLOT_LEFT + 452}" y1="${legendY}" x2="${PLOT_LEFT + 482}" y2="${legendY}" stroke="#374151" stroke-width="3" stroke-dasharray="4 3"/>`,
  );
  out.push(`<circle cx="${PLOT_LEFT + 490}" cy="${legendY}" r="5" fill="#374151"/>`);
  out.push(
    `<text x="${PLOT_LEFT + 500}" y="${legendY + 4}" fill="#374151">visible (rendered, after first paint)</text>`,
  );
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
