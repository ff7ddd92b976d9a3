import type { Metadata } from "next";
import { after } from "next/server";
import { Suspense } from "react";
import { BikeRowsSkeleton, SHELL_HTML_BYTES } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { StreamedBikePages } from "@/components/catalog/StreamedBikePages";
import { BadRequest } from "@/components/errors/BadRequest";
import { readCatalog } from "@/lib/catalog";
import { config } from "@/lib/config";
import { shareCatalogPage } from "@/lib/edge-cache";
import { parseCatalogQuery } from "@/lib/params";
import { readerRequestId } from "@/lib/scan-failure";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Streamed catalog" };

/** Whether `promise` settles (either way) within `ms`; 0 answers false at once. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

export default async function StreamedCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const startedAt = performance.now();
  const search = toSearchParams(await searchParams);
  const parsed = parseCatalogQuery(search, config());
  // The proxy answers bad parameters with a 400 before this renders; this is the fallback.
  if (!parsed.ok) return <BadRequest errors={parsed.errors} />;
  // Stored at the edge when it ends cleanly; a failure below ends it abnormally (decision 027).
  shareCatalogPage();
  const requestId = readerRequestId();
  // Next runs `after` callbacks once the response has closed: at its end, or as soon as the client
  // disconnects (`next start`, `next dev`). The Scan request in flight is then aborted and no other is
  // sent. (On Lambda a Function URL is not told the client left; the work budget bounds it there.)
  const left = new AbortController();
  after(() => left.abort(new DOMException("the response closed", "AbortError")));
  const signal = left.signal;
  const read = readCatalog(parsed.query, { startedAt, signal });
  read.sentShell(SHELL_HTML_BYTES);
  // The first Scan page, waited for a bounded time before the shell leaves (decision 021): if it
  // lands in time its rows are part of the shell and paint with it; if not, the shell leaves with
  // the skeleton and the rows stream into the Suspense boundary when they come, 300 ms or more after
  // the shell's first frame (React 19's reveal throttle, decision 006).
  const first = read.pages.next();
  const firstInShell = await settlesWithin(first, config().firstPageWaitMs);
  const pages = (
    <StreamedBikePages
      read={read}
      startedAt={startedAt}
      pathname="/bikes"
      search={search}
      segments={parsed.query.segments}
      requestId={requestId}
      signal={signal}
      first={first}
    />
  );

  return (
    <main>
      <h1>Bikes, streamed</h1>
      <p className="lede">
        The shell you are reading left the server as soon as DynamoDB answered the first Scan request, or after{" "}
        {config().firstPageWaitMs} ms without it. Each Scan page
        {parsed.query.firstPageSize < parsed.query.pageSize
          ? ` (the first of ${parsed.query.firstPageSize} bikes, each later one twice as large, up to ${parsed.query.pageSize})`
          : ` of ${parsed.query.pageSize} bikes`}{" "}
        arrives in its own Suspense boundary as soon as DynamoDB returns it
        {parsed.query.segments > 1 ? `, from ${parsed.query.segments} parallel scan segments` : ""}.
      </p>
      {/* Which way the first Scan page went (the e2e suite checks the shape that matches). */}
      <div id="catalog" data-first-page={firstInShell ? "shell" : "streamed"}>
        <BikeTable>{firstInShell ? pages : <Suspense fallback={<BikeRowsSkeleton />}>{pages}</Suspense>}</BikeTable>
      </div>
    </main>
  );
}
