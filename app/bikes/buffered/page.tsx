import type { Metadata } from "next";
import { headers } from "next/headers";
import { BikeRows, estimatedHtmlBytes, SHELL_HTML_BYTES } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { CatalogSummary } from "@/components/catalog/CatalogSummary";
import { CatalogUnavailable } from "@/components/catalog/CatalogUnavailable";
import { BadRequest } from "@/components/errors/BadRequest";
import type { Bike } from "@/lib/bike";
import { allBikes, readCatalog } from "@/lib/catalog";
import { config } from "@/lib/config";
import { parseCatalogQuery } from "@/lib/params";
import { requestResponseStatus } from "@/lib/response-status";
import { describeScanFailure, logScanFailure, RETRY_AFTER_SECONDS, requestIdFrom } from "@/lib/scan-failure";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Buffered catalog" };

/** The traditional server render, for comparison: the whole scan is awaited before the first byte. */
export default async function BufferedCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const startedAt = performance.now();
  const search = toSearchParams(await searchParams);
  const parsed = parseCatalogQuery(search, config());
  if (!parsed.ok) return <BadRequest errors={parsed.errors} />;

  const read = readCatalog(parsed.query, { startedAt });
  read.sentShell(SHELL_HTML_BYTES);
  let bikes: Bike[];
  try {
    bikes = await allBikes(read, estimatedHtmlBytes);
  } catch (error) {
    const failure = describeScanFailure(error);
    const requestId = requestIdFrom(await headers());
    logScanFailure({ route: "/bikes/buffered", requestId, pagesServed: 0, bikesServed: 0, failure });
    // Nothing has been sent, so the status can still say it: 503, try again shortly (decision 023).
    const answer = requestResponseStatus(503, {
      "retry-after": String(RETRY_AFTER_SECONDS),
      "cache-control": "no-store",
    });
    // No layer can set it (`next start`, `next dev`): Next's 500, never a 200 that reads as an error.
    if (answer === "no-channel") throw error;
    // "status-already-sent" is a client-side navigation: Next streams the RSC payload's 200 before
    // the page renders, and the router shows the message in place, as the document's 503 would.
    return (
      <CatalogUnavailable
        failure={failure}
        retryAfterSeconds={RETRY_AFTER_SECONDS}
        pathname="/bikes/buffered"
        search={search}
        requestId={requestId}
      />
    );
  }
  return (
    <main>
      <h1>Bikes, buffered</h1>
      <p className="lede">This page waited for every Scan page before sending its first byte.</p>
      <div id="catalog">
        <BikeTable>
          <BikeRows bikes={bikes} />
          <CatalogSummary
            count={bikes.length}
            serverMs={performance.now() - startedAt}
            search={search}
            lastKey={read.resumeKey}
            stoppedBy={read.stoppedBy}
            segments={parsed.query.segments}
            pathname="/bikes/buffered"
          />
        </BikeTable>
      </div>
    </main>
  );
}
