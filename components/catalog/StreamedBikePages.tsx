import { Suspense } from "react";
import type { BikePage, CatalogKey } from "@/lib/catalog";
import { BikeRows, BikeRowsSkeleton } from "./BikeRows";
import { CatalogSummary } from "./CatalogSummary";

export interface StreamedBikePagesProps {
  /** The scan, shared by every link of the chain; each link takes the next page from it. */
  pages: AsyncIterator<BikePage, void, undefined>;
  /** performance.now() when the request started rendering, for the closing line. */
  startedAt: number;
  /** Query string of the request, kept in the "next" link (cursor replaced). */
  search: URLSearchParams;
  shown?: number;
  lastKey?: CatalogKey;
}

/**
 * Renders one Scan page, then the next page inside its own Suspense boundary, nested in this one's
 * output. React flushes each boundary as soon as its page arrives, so row N is on the wire while
 * DynamoDB is still reading page N+1; nothing waits for the whole table.
 */
export async function StreamedBikePages({ pages, startedAt, search, shown = 0, lastKey }: StreamedBikePagesProps) {
  const next = await pages.next();
  if (next.done) {
    return <CatalogSummary count={shown} serverMs={performance.now() - startedAt} search={search} lastKey={lastKey} />;
  }
  const page = next.value;
  return (
    <>
      <BikeRows bikes={page.items} page={page.index} />
      <Suspense fallback={<BikeRowsSkeleton />}>
        <StreamedBikePages
          pages={pages}
          startedAt={startedAt}
          search={search}
          shown={shown + page.items.length}
          lastKey={page.lastKey}
        />
      </Suspense>
    </>
  );
}
