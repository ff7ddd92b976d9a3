import type { ReactNode } from "react";
import type { ScanFailure } from "@/lib/scan-failure";

export interface CatalogUnavailableProps {
  failure: ScanFailure;
  /** What the failure cost this page, after "<what failed>, so": "no bikes were sent", … */
  consequence: ReactNode;
  /** Seconds the response's Retry-After asks a client to wait. */
  retryAfterSeconds: number;
  /** The same request again. */
  retryHref: string;
  /** Another way on, after "Try again in N seconds" (a sentence starting with ", or"). */
  alternative?: ReactNode;
  requestId: string;
}

/**
 * The whole answer of a page whose DynamoDB read failed before anything was sent (a 503, decision
 * 023): what failed, what the reader did not get, and where to go. Plain HTML with plain links,
 * readable without JavaScript.
 */
export function CatalogUnavailable({
  failure,
  consequence,
  retryAfterSeconds,
  retryHref,
  alternative,
  requestId,
}: CatalogUnavailableProps) {
  return (
    <main>
      <h1>The catalog is unavailable</h1>
      <div className="error" id="catalog-unavailable" role="alert" data-error-code={failure.code}>
        <p>
          <strong>{`${failure.reason}, so`}</strong> {consequence}
        </p>
        <p>
          <a href={retryHref} id="catalog-retry">
            Try again
          </a>
          {` in ${retryAfterSeconds} seconds`}
          {alternative ?? "."} <small>Reference {requestId}.</small>
        </p>
      </div>
    </main>
  );
}
