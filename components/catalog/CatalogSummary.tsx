import Link from "next/link";
import type { BudgetStop, CatalogRead } from "@/lib/catalog";
import { ClosingLine } from "./BikeTable";
import { hrefOneSegment, hrefWithCursor } from "./catalog-links";

const count = new Intl.NumberFormat("en-US");

/** Why the page stopped before the end of the table, in the reader's words. */
export const BUDGET_WORDS: Record<BudgetStop, string> = {
  bytes: "this page stops at its size limit so that it stays quick to load",
  time: "this page stops at its time limit",
  scanRequests: "this page stops at its limit of database requests",
};

/** The closing line of the catalog: how many bikes, how long the server took, and where to go on. */
export interface CatalogSummaryProps {
  /**
   * The finished read: the bikes it read, where it stopped early (a `limit` or a budget; undefined
   * when the table was read to the end) and the work budget that ended it, if one did.
   */
  read: Pick<CatalogRead, "bikesRead" | "resumeKey" | "stoppedBy">;
  serverMs: number;
  /** The request's query string, kept in the "next" link. */
  search: URLSearchParams;
  /** With more than one, the read cannot be continued from a cursor (decision 012). */
  segments?: number;
  /** The path, for the one-segment link of a parallel scan that stopped at a budget. */
  pathname?: string;
}

export function CatalogSummary({ read, serverMs, search, segments = 1, pathname = "/bikes" }: CatalogSummaryProps) {
  const { bikesRead: items, resumeKey, stoppedBy } = read;
  const nextHref = resumeKey ? hrefWithCursor(search, resumeKey) : undefined;
  return (
    <ClosingLine
      data-count={items}
      data-server-ms={Math.round(serverMs)}
      data-stopped-by={stoppedBy}
      data-complete={nextHref === undefined && stoppedBy === undefined}
    >
      {count.format(items)} {items === 1 ? "bike" : "bikes"} in {count.format(Math.round(serverMs))} ms of server time
      {stoppedBy ? `: ${BUDGET_WORDS[stoppedBy]}` : ""}.
      {nextHref ? (
        <>
          {" "}
          <Link href={nextHref} rel="next" id="catalog-next" prefetch={false}>
            Next bikes →
          </Link>
        </>
      ) : null}
      {stoppedBy && segments > 1 ? (
        <>
          {" "}
          A parallel scan ({segments} segments) cannot go on from here;{" "}
          <a href={hrefOneSegment(pathname, search)} id="catalog-one-segment">
            page through the catalog with one segment
          </a>
          .
        </>
      ) : null}
    </ClosingLine>
  );
}
