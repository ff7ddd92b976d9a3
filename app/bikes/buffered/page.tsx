import type { Metadata } from "next";
import { headers } from "next/headers";
import { BikeRows, estimatedHtmlBytes, SHELL_HTML_BYTES } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { CatalogSummary } from "@/components/catalog/CatalogSummary";
import { BadRequest } from "@/components/errors/BadRequest";
import type { Bike } from "@/lib/bike";
import { allBikes, readCatalog } from "@/lib/catalog";
import { config } from "@/lib/config";
import { parseCatalogQuery } from "@/lib/params";
import { describeScanFailure, logScanFailure, requestIdFrom } from "@/lib/scan-failure";
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
    logScanFailure({
      route: "/bikes/buffered",
      requestId: requestIdFrom(await headers()),
      pagesServed: 0,
      bikesServed: 0,
      failure: describeScanFailure(error),
    });
    // Nothing has been sent, so Next answers with an error status rather than a short list.
    throw error;
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
