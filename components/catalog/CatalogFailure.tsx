import type { CatalogKey } from "@/lib/catalog";
import type { ScanFailure } from "@/lib/scan-failure";
import { BIKE_COLUMNS, ClosingLine } from "./BikeTable";
import { hrefAgain, hrefWithCursor } from "./catalog-links";

const count = new Intl.NumberFormat("en-US");

export interface CatalogFailureProps {
  failure: ScanFailure;
  /** Bikes already on the page, above this row. */
  shown: number;
  pathname: string;
  search: URLSearchParams;
  /** The last complete page's LastEvaluatedKey (or the request's cursor); undefined from the first bike. */
  resumeKey: CatalogKey | undefined;
  segments: number;
  requestId: string;
}

/**
 * In place of the rows DynamoDB could not give: an error row inside the table and a closing line
 * that says the list is incomplete. Plain HTML with plain links, so it reads and works without
 * JavaScript, and the rows above it stay.
 */
export function CatalogFailure({
  failure,
  shown,
  pathname,
  search,
  resumeKey,
  segments,
  requestId,
}: CatalogFailureProps) {
  const again = hrefAgain(pathname, search);
  const continueHref = segments === 1 && resumeKey ? hrefWithCursor(search, resumeKey) : undefined;
  const bikes = `${count.format(shown)} ${shown === 1 ? "bike" : "bikes"}`;
  return (
    <>
      <tbody className="catalog-error">
        <tr>
          <td
            colSpan={BIKE_COLUMNS.length}
            id="catalog-error"
            role="alert"
            data-error-code={failure.code}
            data-count={shown}
          >
            <strong>{`${failure.reason} after ${bikes}, so the list stops here.`}</strong>{" "}
            {continueHref ? (
              <>
                <a href={continueHref} id="catalog-continue">
                  Continue from here
                </a>{" "}
                (the next bikes after these) or{" "}
              </>
            ) : null}
            <a href={again} id="catalog-retry">
              try again
            </a>
            {segments > 1 ? ` (a parallel scan of ${segments} segments cannot go on from here: it starts over)` : ""}.{" "}
            <small>Reference {requestId}.</small>
          </td>
        </tr>
      </tbody>
      <ClosingLine data-count={shown} data-complete={false}>
        {`${bikes} shown; the list is incomplete.`}
      </ClosingLine>
    </>
  );
}
