import Link from "next/link";
import { type CatalogKey, cursorFor } from "@/lib/catalog";
import { BIKE_COLUMNS } from "./BikeTable";

const count = new Intl.NumberFormat("en-US");

/** The closing line of the catalog: how many bikes, how long the server took, and where to go on. */
export interface CatalogSummaryProps {
  count: number;
  serverMs: number;
  /** The request's query string, kept in the "next" link. */
  search: URLSearchParams;
  /** Where the scan stopped early (a `limit`); undefined when the table was read to the end. */
  lastKey: CatalogKey | undefined;
}

export function CatalogSummary({ count: items, serverMs, search, lastKey }: CatalogSummaryProps) {
  const nextHref = lastKey ? hrefWithCursor(search, cursorFor(lastKey)) : undefined;
  return (
    <tfoot>
      <tr>
        <td colSpan={BIKE_COLUMNS.length} id="catalog-summary" data-count={items} data-server-ms={Math.round(serverMs)}>
          {count.format(items)} {items === 1 ? "bike" : "bikes"} in {count.format(Math.round(serverMs))} ms of server
          time.
          {nextHref ? (
            <>
              {" "}
              <Link href={nextHref} rel="next" id="catalog-next" prefetch={false}>
                Next bikes →
              </Link>
            </>
          ) : null}
        </td>
      </tr>
    </tfoot>
  );
}

function hrefWithCursor(search: URLSearchParams, cursor: string): string {
  const params = new URLSearchParams(search);
  params.set("cursor", cursor);
  return `?${params.toString()}`;
}
