"use client";
import { useEffect, useState } from "react";
import type { Bike } from "@/lib/bike";
import { BikeRows, BikeRowsSkeleton } from "./BikeRows";
import { BIKE_COLUMNS, BikeTable } from "./BikeTable";

interface PageLine {
  page: number;
  items: Bike[];
  error?: string;
}

/**
 * The raw-streaming pattern the server-rendered catalog replaces: an empty page that fetches
 * /api/bikes and renders each NDJSON line (one Scan page) as it arrives. Kept for the benchmark.
 */
export function NdjsonBikeTable({ query }: { query: string }) {
  const [pages, setPages] = useState<PageLine[]>([]);
  const [state, setState] = useState<{ done: boolean; error?: string; ms?: number }>({ done: false });

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
        const parsed = lines.filter(Boolean).map((line) => JSON.parse(line) as PageLine);
        const failed = parsed.find((line) => line.error);
        if (failed) throw new Error(failed.error);
        if (parsed.length > 0) setPages((previous) => [...previous, ...parsed]);
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
        <tfoot>
          <tr>
            <td colSpan={BIKE_COLUMNS.length} id="catalog-summary" data-count={count}>
              {state.error
                ? `The catalog stopped: ${state.error}`
                : `${count.toLocaleString("en-US")} bikes in ${Math.round(state.ms ?? 0)} ms in the browser.`}
            </td>
          </tr>
        </tfoot>
      ) : null}
    </BikeTable>
  );
}
