import type { PartialFigures } from "./measure-frame";

const WIDTH = 400;
const HEIGHT = 40;
const BAR_Y = 14;
const BAR_HEIGHT = 10;

/**
 * One page's load on a time axis shared with the other pane: waiting for the first byte, receiving
 * the document, and when the first and the last row were on screen.
 */
export function FrameTimeline({
  figures,
  scaleMs,
  label,
}: {
  figures: PartialFigures;
  scaleMs: number;
  label: string;
}) {
  const x = (ms: number) => Math.min(WIDTH, (ms / scaleMs) * WIDTH);
  const { responseStart, responseEnd, firstRowVisible, lastRowVisible } = figures;
  return (
    <svg className="frame-timeline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${label} timeline`}>
      <title>{`${label}: waiting for the first byte, receiving the page, first and last row on screen`}</title>
      <line x1={0} x2={WIDTH} y1={BAR_Y + BAR_HEIGHT / 2} y2={BAR_Y + BAR_HEIGHT / 2} className="axis" />
      {responseStart !== undefined ? (
        <rect x={0} y={BAR_Y + 3} width={x(responseStart)} height={BAR_HEIGHT - 6} className="waiting" />
      ) : null}
      {responseStart !== undefined && responseEnd !== undefined ? (
        <rect
          x={x(responseStart)}
          y={BAR_Y}
          width={Math.max(1, x(responseEnd) - x(responseStart))}
          height={BAR_HEIGHT}
          className="receiving"
        />
      ) : null}
      {firstRowVisible !== undefined ? <Marker at={x(firstRowVisible)} text="first row" above /> : null}
      {lastRowVisible !== undefined ? <Marker at={x(lastRowVisible)} text="last row" /> : null}
    </svg>
  );
}

function Marker({ at, text, above = false }: { at: number; text: string; above?: boolean }) {
  const anchor = at < 40 ? "start" : at > WIDTH - 40 ? "end" : "middle";
  return (
    <g className="marker">
      <line x1={at} x2={at} y1={BAR_Y - 3} y2={BAR_Y + BAR_HEIGHT + 3} />
      <text x={at} y={above ? BAR_Y - 5 : BAR_Y + BAR_HEIGHT + 12} textAnchor={anchor}>
        {text}
      </text>
    </g>
  );
}
