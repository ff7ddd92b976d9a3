import { Suspense } from "react";
import type { BikePage, CatalogRead } from "@/lib/catalog";
import { endIncomplete } from "@/lib/edge-cache";
import { describeScanFailure, logScanFailure } from "@/lib/scan-failure";
import { BikeRowsSkeleton, scanPageRows } from "./BikeRows";
import { CatalogFailure } from "./CatalogFailure";
import { CatalogSummary } from "./CatalogSummary";
import { ScanPageRows } from "./ScanPageRows";

export interface StreamedBikePagesProps {
  /** The budgeted scan, shared by every link of the chain; each link takes the next page from it. */
  read: CatalogRead;
  /** performance.now() when the request started rendering, for the closing line. */
  startedAt: number;
  /** Path and query string of the request, for the "next", "continue" and "try again" links. */
  pathname: string;
  search: URLSearchParams;
  segments: number;
  /** Shared with the server log line of a failure. */
  requestId: string;
  /** The client left (React's cacheSignal): a failure then has nobody to tell. */
  signal?: AbortSignal | null;
  /** The first page, already asked for by the page (which waited a bounded time for it); later links ask `read`. */
  first?: Promise<IteratorResult<BikePage, void>>;
}

/**
 * Renders one Scan page, then the next page inside its own Suspense boundary, nested in this one's
 * output. React flushes each boundary as soon as its page arrives, so row N is on the wire while
 * DynamoDB is still reading page N+1; nothing waits for the whole table.
 *
 * A link whose page fails renders the failure in place of its rows, inside the table, instead of
 * throwing: a thrown error would reach React's error boundary, which in the browser replaces every
 * row already shown (and without JavaScript shows nothing at all).
 */
export async function StreamedBikePages(props: StreamedBikePagesProps) {
  const { read, startedAt, pathname, search, segments, requestId, signal, first } = props;
  let next: IteratorResult<BikePage, void>;
  try {
    next = await (first ?? read.pages.next());
  } catch (error) {
    if (signal?.aborted) return null;
    const failure = describeScanFailure(error);
    logScanFailure({
      route: pathname,
      requestId,
      pagesServed: read.pagesRead,
      bikesServed: read.bikesRead,
      failure,
    });
    // The error row and closing line still stream; then the response ends without its terminating
    // chunk, so no shared cache replays this short list to the next reader (decision 027).
    endIncomplete(failure.code);
    return (
      <CatalogFailure
        failure={failure}
        shown={read.bikesRead}
        pathname={pathname}
        search={search}
        resumeKey={read.resumeKey}
        segments={segments}
        requestId={requestId}
      />
    );
  }
  if (next.done) {
    return <CatalogSummary read={read} serverMs={performance.now() - startedAt} search={search} segments={segments} />;
  }
  const page = next.value;
  const { rendered, bytes } = scanPageRows(page.items);
  read.sent(bytes);
  return (
    <>
      <ScanPageRows rows={rendered} page={page.index} />
      <Suspense fallback={<BikeRowsSkeleton />}>
        <StreamedBikePages {...props} first={undefined} />
      </Suspense>
    </>
  );
}
