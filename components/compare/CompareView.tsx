"use client";
// /compare: the streamed and the buffered catalog loading side by side in same-origin iframes, with
// what this browser measured of each (measure-frame.ts). It imports no data: the panes are the
// catalog pages themselves, asked for the same bikes with the same `limit`.
import { useEffect, useRef, useState } from "react";
import { FrameTimeline } from "./FrameTimeline";
import { type FrameFigures, measureFrame, median, type PartialFigures } from "./measure-frame";

const PANES = [
  { id: "streamed", path: "/bikes", title: "Streamed", what: "shell first, one Suspense boundary per Scan page" },
  { id: "buffered", path: "/bikes/buffered", title: "Buffered", what: "the whole scan, then the page" },
] as const;
type PaneId = (typeof PANES)[number]["id"];

/** Catalog sizes offered, as the pages' own `limit` parameter. */
export const COMPARE_SIZES = [100, 500, 2000, 10000] as const;

const TIMES = [
  ["responseStart", "response start"],
  ["firstRowVisible", "first row visible"],
  ["lastRowVisible", "last row visible"],
  ["responseEnd", "last byte"],
] as const;

interface PaneState {
  state: "waiting" | "running" | "done" | "failed";
  /** The run in progress or the last one. */
  current: PartialFigures;
  /** Every finished run at this size, oldest first. */
  runs: FrameFigures[];
  error?: string;
}

const idle: PaneState = { state: "waiting", current: {}, runs: [] };

const wholeNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ms = (value: number | undefined) => (value === undefined ? "…" : `${wholeNumber.format(value)} ms`);
const bytes = (value: number | undefined) => {
  if (value === undefined) return "…";
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(2)} MB`;
  return value >= 1000 ? `${(value / 1000).toFixed(1)} kB` : `${value} B`;
};

export function CompareView({ defaultSize }: { defaultSize: (typeof COMPARE_SIZES)[number] }) {
  const [size, setSize] = useState<number>(defaultSize);
  const [run, setRun] = useState(1);
  const [panes, setPanes] = useState<Record<PaneId, PaneState>>({ streamed: idle, buffered: idle });
  const frames = useRef<Record<PaneId, HTMLIFrameElement | null>>({ streamed: null, buffered: null });

  // Each run gets fresh iframes (keyed by run), so no document of the previous run is measured and
  // the runs add nothing to the tab's history. Both start in the same task, as two tabs would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run renders new iframes (their key), which this effect must start.
  useEffect(() => {
    const controller = new AbortController();
    const update = (id: PaneId, change: (pane: PaneState) => PaneState) =>
      setPanes((all) => ({ ...all, [id]: change(all[id]) }));
    for (const pane of PANES) {
      const iframe = frames.current[pane.id];
      if (!iframe) continue;
      update(pane.id, (state) => ({ ...state, state: "running", current: {}, error: undefined }));
      measureFrame(iframe, `${pane.path}?limit=${size}`, {
        signal: controller.signal,
        onProgress: (figures) => update(pane.id, (state) => ({ ...state, current: figures })),
      }).then(
        (figures) =>
          update(pane.id, (state) => ({ ...state, state: "done", current: figures, runs: [...state.runs, figures] })),
        (error: Error) => {
          if (!controller.signal.aborted)
            update(pane.id, (state) => ({ ...state, state: "failed", error: error.message }));
        },
      );
    }
    return () => controller.abort();
  }, [run, size]);

  const running = PANES.some((pane) => panes[pane.id].state === "running");
  // One time axis for both panes, so their timelines compare at a glance.
  const scaleMs = Math.max(
    100,
    ...PANES.flatMap((pane) => {
      const { responseEnd = 0, lastRowVisible = 0, firstRowVisible = 0 } = panes[pane.id].current;
      return [responseEnd, lastRowVisible, firstRowVisible];
    }),
  );
  const streamedRuns = panes.streamed.runs;
  const bufferedRuns = panes.buffered.runs;
  const firstRowRatio =
    streamedRuns.length > 0 && bufferedRuns.length > 0
      ? median(bufferedRuns.map((r) => r.firstRowVisible)) / median(streamedRuns.map((r) => r.firstRowVisible))
      : undefined;

  return (
    <>
      <form className="compare-controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          Bikes{" "}
          <select
            name="limit"
            value={size}
            onChange={(event) => {
              setSize(Number(event.target.value));
              setPanes({ streamed: idle, buffered: idle });
              setRun((n) => n + 1);
            }}
          >
            {COMPARE_SIZES.map((option) => (
              <option key={option} value={option}>
                {wholeNumber.format(option)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" id="compare-run" disabled={running} onClick={() => setRun((n) => n + 1)}>
          Run again
        </button>
        <span className="compare-status" aria-live="polite">
          {running
            ? "Loading both pages…"
            : firstRowRatio !== undefined
              ? `Median of ${Math.min(streamedRuns.length, bufferedRuns.length)} run(s): the first row is on screen ${
                  firstRowRatio >= 1
                    ? `${firstRowRatio.toFixed(1)}× sooner streamed`
                    : `${(1 / firstRowRatio).toFixed(1)}× sooner buffered`
                }.`
              : ""}
        </span>
      </form>
      <div className="compare-panes">
        {PANES.map((pane) => {
          const { state, current, runs, error } = panes[pane.id];
          const url = `${pane.path}?limit=${size}`;
          return (
            <section
              key={pane.id}
              className="compare-pane"
              data-pane={pane.id}
              data-state={state}
              data-runs={runs.length}
              data-rows={current.rows}
            >
              <h2>
                {pane.title}: <a href={url}>{url}</a>
              </h2>
              <p className="lede">{pane.what}</p>
              <div className="compare-frame">
                <iframe
                  key={`${run}`}
                  ref={(element) => {
                    frames.current[pane.id] = element;
                  }}
                  title={`${pane.title} catalog`}
                />
              </div>
              <FrameTimeline figures={current} scaleMs={scaleMs} label={pane.title} />
              <p className="compare-axis">
                0 – {ms(scaleMs)} from navigation start; grey: waiting for the first byte, orange: receiving
                {current.rows !== undefined ? `; ${wholeNumber.format(current.rows)} bikes` : ""}
              </p>
              {error ? (
                <p className="error compare-error" role="alert">
                  {error}
                </p>
              ) : null}
              <table className="compare-figures">
                <thead>
                  <tr>
                    <th scope="col">measured here</th>
                    <th scope="col">this run</th>
                    <th scope="col">median of {runs.length}</th>
                  </tr>
                </thead>
                <tbody>
                  {TIMES.map(([key, name]) => (
                    <tr key={key} data-metric={key}>
                      <th scope="row">{name}</th>
                      <td data-value={current[key]}>{ms(current[key])}</td>
                      <td data-runs={runs.map((r) => r[key]).join(" ")}>
                        {runs.length > 0 ? ms(median(runs.map((r) => r[key]))) : "…"}
                      </td>
                    </tr>
                  ))}
                  <tr data-metric="transferBytes">
                    <th scope="row">total bytes</th>
                    <td data-value={current.transferBytes} title={`${bytes(current.decodedBytes)} decoded`}>
                      {bytes(current.transferBytes)}
                    </td>
                    <td data-runs={runs.map((r) => r.transferBytes).join(" ")}>
                      {runs.length > 0 ? bytes(median(runs.map((r) => r.transferBytes))) : "…"}
                    </td>
                  </tr>
                </tbody>
              </table>
            </section>
          );
        })}
      </div>
    </>
  );
}
