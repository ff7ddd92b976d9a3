// The timeline chart attached to the Playwright report: one group per recorded page, one lane per
// event, all on one ms axis so a streamed and a buffered page compare at a glance. The report shows
// image/svg+xml attachments as images.
import { type Lane, renderChart } from "../svg-chart";
import type { ElementTiming, PageTimeline } from "./page-timeline";

const COLOURS = {
  waiting: "#c9ced6",
  responseStart: "#5b6170",
  shell: "#2f6fdf",
  firstRow: "#1a9b5b",
  lastRow: "#c2410c",
  domContentLoaded: "#7c3aed",
  load: "#9d174d",
  hydrated: "#0e7490",
  legend: "#374151",
} as const;

const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;

function moment(label: string, name: string, colour: string, at: number): Lane {
  return { label: name, marks: [{ at, shape: "dot", colour, title: `${label}: ${name} at ${ms(at)}` }], value: ms(at) };
}

/** An element's lane: a ring when it entered the DOM, a dot when it was rendered, dashed between. */
function element(label: string, name: string, colour: string, { inserted, visible }: ElementTiming): Lane {
  return {
    label: name,
    marks: [
      { from: inserted, to: visible, style: "dashed", colour },
      { at: inserted, shape: "ring", colour, title: `${label}: ${name} inserted at ${ms(inserted)}` },
      { at: visible, shape: "dot", colour, title: `${label}: ${name} visible at ${ms(visible)}` },
    ],
    value: Math.round(inserted) === Math.round(visible) ? ms(visible) : `${ms(inserted)} → ${ms(visible)}`,
  };
}

function lanesOf(t: PageTimeline): Lane[] {
  const firstByte = moment(t.label, "first byte (responseStart)", COLOURS.responseStart, t.responseStart);
  // The wait for the first byte is the whole point of the comparison: drawn as a bar.
  firstByte.marks.unshift({ from: 0, to: t.responseStart, style: "bar", colour: COLOURS.waiting });
  return [
    firstByte,
    element(t.label, "shell", COLOURS.shell, t.shell),
    element(t.label, "first row", COLOURS.firstRow, t.firstRow),
    element(t.label, "last row", COLOURS.lastRow, t.lastRow),
    moment(t.label, "DOMContentLoaded", COLOURS.domContentLoaded, t.domContentLoaded),
    moment(t.label, "load", COLOURS.load, t.load),
    moment(t.label, "hydrated", COLOURS.hydrated, t.hydrated),
  ];
}

/** The chart as an SVG document. */
export function renderTimelineSvg(timelines: PageTimeline[]): string {
  const latest = Math.max(...timelines.flatMap((t) => [t.load, t.hydrated, t.domContentLoaded, t.lastRow.visible]));
  return renderChart({
    title: "Page timeline in the browser (ms from navigation start)",
    labelWidth: 190,
    panels: [
      {
        axis: { scale: "linear", max: latest },
        groups: timelines.map((t) => ({
          heading: t.label,
          note: `HTTP ${t.status} · ${t.rows.toLocaleString("en-US")} rows`,
          lanes: lanesOf(t),
        })),
      },
    ],
    legend: [
      { label: "waiting for the first byte", colour: COLOURS.waiting, span: "bar" },
      { label: "inserted into the DOM (hidden or not)", colour: COLOURS.legend, shape: "ring" },
      { label: "visible (rendered, after first paint)", colour: COLOURS.legend, span: "dashed", shape: "dot" },
    ],
  });
}
