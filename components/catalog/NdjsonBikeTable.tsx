"use client";
import { useEffect, useState } from "react";
import type { CatalogItem } from "@/lib/bike";
import { BikeRows, BikeRowsSkeleton } from "./BikeRows";
import { BikeTable, ClosingLine } from "./BikeTable";

/** A line of /api/bikes: a Scan page, or the last line that says why the stream ended early. */
interface PageLine {
  page: number;
  items: CatalogItem[];
}
interface EndLine {
  /** A failure's code (`dynamodb_unavailable`, …), or absent when a budget ended the stream. */
  error?: string;
  stopped?: "budget";
  message: string;
  count: number;
  cursor?: string;
}

/**
 * The raw-streaming pattern the server-rendered catalog replaces: an empty page that fetches
 * /api/bikes and renders each NDJSON line (one Scan page) as it arrives. Kept for the benchmark.
 */
function withCursor(query: string, cursor: string): string {
  const params = new URLSearchParams(query);
  params.set("cursor", cursor);
  return params.toString();
}

export function NdjsonBikeTable({ query }: { query: string }) {
  const [pages, setPages] = useState<PageLine[]>([]);
  const [state, setState] = useState<{ done: boolean; error?: string; end?: EndLine; ms?: number }>({ done: false });

  useEffect(() => {
    const controller = new AbortController();
    const started = performance.now();
    (async () => {
      const response = await fetch(`/api/bikes${query}`, { signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`GET /api/bikes answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let carry = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines = (carry + value).split("\n");
        carry = lines.pop() ?? "";
        const parsed = lines.filter(Boolean).map((line) => JSON.parse(line) as PageLine | EndLine);
        const received = parsed.filter((line): line is PageLine => "items" in line);
        if (received.length > 0) setPages((previous) => [...previous, ...received]);
        const end = parsed.find((line): line is EndLine => !("items" in line));
        if (end) return setState({ done: true, end, ms: performance.now() - started });
      }
      setState({ done: true, ms: performance.now() - started });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted)
        setState({ done: true, error: error instanceof Error ? error.message : String(error) });
    });
    return () => controller.abort();
  }, [query]);

  const count = pages.reduce((sum, page) => sum + page.items.length, 0);
  return (
    <BikeTable>
      {pages.map((page) => (
        <BikeRows key={page.page} bikes={page.items} page={page.page} />
      ))}
      {state.done ? null : <BikeRowsSkeleton />}
      {state.done ? (
        <ClosingLine data-count={count} data-error-code={state.end?.error} data-stopped-by={state.end?.stopped}>
          {state.error
            ? `The catalog could not be loaded: ${state.error}.`
            : state.end
              ? `${state.end.message} `
              : `${count.toLocaleString("en-US")} bikes in ${Math.round(state.ms ?? 0)} ms in the browser.`}
          {state.end?.cursor ? (
            <a
              href={`?${withCursor(query, state.end.cursor)}`}
              id={state.end.error ? "catalog-continue" : "catalog-next"}
            >
              {state.end.error ? "Continue from here" : "Next bikes →"}
            </a>
          ) : null}
          {state.end?.error ? (
            <>
              {" "}
              <a href={`/bikes/client${query}`} id="catalog-retry">
                Try again
              </a>
            </>
          ) : null}
        </ClosingLine>
      ) : null}
    </BikeTable>
  );
}
