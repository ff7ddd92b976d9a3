import type { ScanFailure } from "@/lib/scan-failure";
import { hrefAgain } from "./catalog-links";

export interface CatalogUnavailableProps {
  failure: ScanFailure;
  /** Seconds the response's Retry-After asks a client to wait. */
  retryAfterSeconds: number;
  /** The page that failed and its query, for "try again". */
  pathname: string;
  search: URLSearchParams;
  requestId: string;
}

/**
 * The whole answer of a buffered page whose scan failed before anything was sent (a 503): what
 * failed, that no bikes were sent rather than a list that would look complete, and where to go.
 * Plain HTML with plain links, readable without JavaScript.
 */
export function CatalogUnavailable({
  failure,
  retryAfterSeconds,
  pathname,
  search,
  requestId,
}: CatalogUnavailableProps) {
  return (
    <main>
      <h1>The catalog is unavailable</h1>
      <div className="error" id="catalog-unavailable" role="alert" data-error-code={failure.code}>
        <p>
          <strong>{`${failure.reason}, so no bikes were sent:`}</strong> this page shows the whole catalog or nothing,
          never a short list that would look whole.
        </p>
        <p>
          <a href={hrefAgain(pathname, search)} id="catalog-retry">
            Try again
          </a>{" "}
          {`in ${retryAfterSeconds} seconds, or read the `}
          <a href={hrefAgain("/bikes", search)} id="catalog-streamed">
            streamed catalog
          </a>
          , which keeps the bikes it could read. <small>Reference {requestId}.</small>
        </p>
      </div>
    </main>
  );
}
