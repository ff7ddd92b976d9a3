// The bench's chart (bench/results/<date>.svg): the median browser timeline of each variant at each
// size, then the wire timings of every size on one log axis. Hand-written SVG: a few rects and lines
// do not justify a charting dependency.
import { escapeHtml as esc } from "../../lib/escape-html";
import type { BenchResult } from "./result";

const n = (value: number) => value.toLocaleString("en-US");
const COLORS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#f08c00", "#495057", "#0ca678", "#c2255c"];

export function renderBenchChart(result: BenchResult): string {
  const width = 1100;
  const left = 330;
  const plot = width - left - 40;
  const parts: string[] = [];
  let y = 30;
  parts.push(
    `<text x="20" y="${y}" font-size="18" font-weight="700">Firstbyte benchmark — ${esc(result.date.slice(0, 10))}</text>`,
  );
  y += 20;

  // Browser timelines, linear axis per size.
  for (const size of result.sizes) {
    const entries = result.targets.map((t, i) => ({ t, i, b: size.browser[t.key] })).filter((e) => e.b?.sample);
    if (entries.length === 0) continue;
    const end = Math.max(...entries.map((e) => e.b!.sample!.lastRow.visible ?? e.b!.sample!.load ?? 0), 1);
    const scale = (v: number) => left + (v / end) * plot;
    y += 30;
    parts.push(
      `<text x="20" y="${y}" font-size="15" font-weight="700">In Chromium, ${n(size.bikes)} bikes (median run by last row visible), ms from navigation start</text>`,
    );
    y += 14;
    parts.push(axis(y, left, plot, end, false));
    for (const { t, i, b } of entries) {
      y += 26;
      const s = b!.sample!;
      const color = COLORS[i % COLORS.length]!;
      parts.push(`<text x="20" y="${y + 4}" font-size="12">${esc(t.label)}</text>`);
      const first = s.firstRow.visible ?? 0;
      const last = s.lastRow.visible ?? first;
      parts.push(
        `<line x1="${scale(0)}" y1="${y}" x2="${scale(s.responseStart ?? 0)}" y2="${y}" stroke="#ced4da" stroke-width="2"/>`,
      );
      parts.push(
        `<rect x="${scale(first)}" y="${y - 6}" width="${Math.max(2, scale(last) - scale(first))}" height="12" fill="${color}" opacity="0.35"/>`,
      );
      for (const [value, label, shape] of [
        [s.responseStart, "first byte", "circle"],
        [s.shell.visible, "shell", "square"],
        [s.firstRow.visible, "first row", "diamond"],
        [s.lastRow.visible, "last row", "diamond"],
        [s.hydrated, "hydrated", "bar"],
      ] as const) {
        if (value === undefined) continue;
        parts.push(marker(scale(value), y, shape, color, `${label}: ${value.toFixed(0)} ms`));
      }
    }
    y += 16;
  }

  // Wire timings, log axis across sizes.
  const http = result.sizes.flatMap((size) =>
    result.targets.map((t, i) => ({ size, t, i, h: size.http[t.key] })).filter((e) => e.h?.totalMs),
  );
  if (http.length > 0) {
    const max = Math.max(...http.map((e) => e.h!.totalMs!.median));
    const lo = 5;
    const scale = (v: number) => left + (Math.log10(Math.max(v, lo) / lo) / Math.log10(max / lo)) * plot;
    y += 34;
    parts.push(
      `<text x="20" y="${y}" font-size="15" font-weight="700">On the wire: TTFB ●, first item ◆, end of body | (medians, ms, log scale)</text>`,
    );
    y += 14;
    parts.push(axis(y, left, plot, max, true, lo));
    for (const size of result.sizes) {
      y += 22;
      parts.push(`<text x="20" y="${y}" font-size="13" font-weight="700">${n(size.bikes)} bikes</text>`);
      for (const { t, i, h } of http.filter((e) => e.size === size)) {
        y += 20;
        const color = COLORS[i % COLORS.length]!;
        parts.push(
          `<text x="30" y="${y + 4}" font-size="11">${esc(t.label)}${t.bandwidth ? ` (${t.bandwidth})` : ""}</text>`,
        );
        parts.push(
          `<line x1="${scale(lo)}" y1="${y}" x2="${scale(h!.totalMs!.median)}" y2="${y}" stroke="${color}" stroke-width="3" opacity="0.5"/>`,
        );
        if (h!.ttfbMs)
          parts.push(marker(scale(h!.ttfbMs.median), y, "circle", color, `TTFB ${h!.ttfbMs.median.toFixed(1)} ms`));
        if (h!.firstItemMs)
          parts.push(
            marker(
              scale(h!.firstItemMs.median),
              y,
              "diamond",
              color,
              `first item ${h!.firstItemMs.median.toFixed(1)} ms`,
            ),
          );
        parts.push(marker(scale(h!.totalMs!.median), y, "bar", color, `end ${h!.totalMs!.median.toFixed(0)} ms`));
      }
    }
  }
  y += 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
${parts.join("\n")}
</svg>
`;
}

function marker(
  x: number,
  y: number,
  shape: "circle" | "square" | "diamond" | "bar",
  color: string,
  title: string,
): string {
  const t = `<title>${esc(title)}</title>`;
  switch (shape) {
    case "circle":
      return `<circle cx="${x}" cy="${y}" r="5" fill="${color}">${t}</circle>`;
    case "square":
      return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="#fff" stroke="${color}" stroke-width="2">${t}</rect>`;
    case "diamond":
      return `<path d="M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z" fill="${color}">${t}</path>`;
    case "bar":
      return `<rect x="${x - 1.5}" y="${y - 8}" width="3" height="16" fill="${color}">${t}</rect>`;
  }
}

function axis(y: number, left: number, plot: number, end: number, log: boolean, lo = 1): string {
  const ticks: number[] = [];
  if (log) {
    for (let v = lo; v <= end * 1.0001; v *= 10) ticks.push(v);
  } else {
    const step = niceStep(end / 6);
    for (let v = 0; v <= end; v += step) ticks.push(v);
  }
  const x = (v: number) => (log ? left + (Math.log10(v / lo) / Math.log10(end / lo)) * plot : left + (v / end) * plot);
  return [
    `<line x1="${left}" y1="${y}" x2="${left + plot}" y2="${y}" stroke="#868e96"/>`,
    ...ticks.map(
      (v) =>
        `<line x1="${x(v)}" y1="${y - 3}" x2="${x(v)}" y2="${y + 3}" stroke="#868e96"/><text x="${x(v)}" y="${y - 6}" font-size="10" text-anchor="middle" fill="#495057">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
    ),
  ].join("\n");
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}
