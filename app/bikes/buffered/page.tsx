import type { Metadata } from "next";
import { SHELL_HTML_BYTES, scanPageRows } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { CatalogSummary } from "@/components/catalog/CatalogSummary";
import { CatalogUnavailable } from "@/components/catalog/CatalogUnavailable";
import { hrefAgain } from "@/components/catalog/catalog-links";
import { type BikeRowCells, ScanPageRows } from "@/components/catalog/ScanPageRows";
import { BadRequest } from "@/components/errors/BadRequest";
import { allPages, readCatalog } from "@/lib/catalog";
import { config } from "@/lib/config";
import { shareCatalogPage } from "@/lib/edge-cache";
import { parseCatalogQuery } from "@/lib/params";
import { answerUnavailable, describeScanFailure, RETRY_AFTER_SECONDS, readerRequestId } from "@/lib/scan-failure";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Buffered catalog" };

/** The traditional server render, for comparison: the whole scan is awaited before the first byte. */
export default async function BufferedCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const startedAt = performance.now();
  const search = toSearchParams(await searchParams);
  const parsed = parseCatalogQuery(search, config());
  if (!parsed.ok) return <BadRequest errors={parsed.errors} />;
  // Stored at the edge; a DynamoDB failure below asks for a 503 with no-store instead (decision 027).
  shareCatalogPage();

  const read = readCatalog(parsed.query, { startedAt });
  read.sentShell(SHELL_HTML_BYTES);
  let rows: BikeRowCells[];
  try {
    rows = (await allPages(read, scanPageRows)).flat();
  } catch (error) {
    const failure = describeScanFailure(error);
    const requestId = readerRequestId();
    if (!answerUnavailable({ route: "/bikes/buffered", requestId, failure })) throw error;
    return (
      <CatalogUnavailable
        failure={failure}
        consequence="no bikes were sent: this page shows the whole catalog or nothing, never a short list that would look whole."
        retryAfterSeconds={RETRY_AFTER_SECONDS}
        retryHref={hrefAgain("/bikes/buffered", search)}
        alternative={
          <>
            , or read the{" "}
            <a href={hrefAgain("/bikes", search)} id="catalog-streamed">
              streamed catalog
            </a>
            , which keeps the bikes it could read.
          </>
        }
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
          <ScanPageRows rows={rows} />
          <CatalogSummary
            read={read}
            serverMs={performance.now() - startedAt}
            search={search}
            segments={parsed.query.segments}
            pathname="/bikes/buffered"
          />
        </BikeTable>
      </div>
    </main>
  );
}
