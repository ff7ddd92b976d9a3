// What a page timeline is, apart from the recorder that takes it (timing.ts) and the chart that
// draws it (timeline-chart.ts), so neither imports the other for its types.

/**
 * When an element first entered the DOM (anywhere, hidden or not) and when it was first rendered:
 * the mutation batch that took it out of React's hidden containers, confirmed by
 * `checkVisibility()` at the next animation frame (or that frame's time), and never before the
 * first contentful paint, before which nothing is on screen.
 */
export interface ElementTiming {
  inserted: number;
  visible: number;
}

export interface PageTimeline {
  /** Shown on the chart; the path and query by default. */
  label: string;
  url: string;
  status: number;
  /** The origin of every other time (the navigation timing entry's startTime is 0 by definition). */
  navigationStart: 0;
  responseStart: number;
  domContentLoaded: number;
  load: number;
  shell: ElementTiming;
  firstRow: ElementTiming;
  lastRow: ElementTiming;
  /** The hydration mark (HydrationMarker sets it from a useEffect, i.e. once React has hydrated the root). */
  hydrated: number;
  /** Rows rendered when the recording ended. */
  rows: number;
  /** Paint timing entries; nothing can be visible before the first contentful paint, see `visible`. */
  paint: { firstPaint: number | null; firstContentfulPaint: number | null };
  /**
   * Main-thread time the recorder's MutationObserver callbacks took (a few ms for 2,000 rows). Its
   * frame callbacks are not counted: they read the style the browser computes for that frame anyway.
   */
  recorderMs: number;
}
