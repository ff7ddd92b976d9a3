import { type CatalogItem, isIncomplete } from "@/lib/bike";
import { BIKE_COLUMNS } from "./BikeTable";
import { formatPrice, formatWeight } from "./format";
import { type BikeRowCells, ScanPageRows } from "./ScanPageRows";

/** `value` formatted, or null when the item lacked it. */
function formatted<T, R>(value: T | undefined, format: (value: T) => R): R | null {
  return value === undefined ? null : format(value);
}

/**
 * The row's text: formatted once, where the bike is read, and sent to the browser ready to show. A
 * malformed item's missing fields are null (decision 024).
 */
export function bikeRowCells(item: CatalogItem): BikeRowCells {
  const cells: BikeRowCells = [
    item.id,
    item.brand === undefined || item.model === undefined ? null : `${item.brand} ${item.model}`,
    item.type ?? null,
    item.frameSize ?? null,
    item.wheelSize ?? null,
    item.colour ?? null,
    item.year ?? null,
    formatted(item.weightKg, formatWeight),
    formatted(item.price, formatPrice),
    item.stock ?? null,
  ];
  if (isIncomplete(item)) cells.push(1);
  return cells;
}

// What the catalog's HTML costs, for the byte budget (a server component cannot see the bytes React
// writes). Measured on the Lambda path at 2,000 bikes: the page before any row is 29.7 KB (layout,
// inline scripts with their CSP nonce); each Scan page's Suspense boundary (skeleton fallback,
// hidden segment, $RC script) ~5.5 KB; a row ~3.7 times the JSON of its cells (~380 bytes a bike at
// 20,000 bikes for 103 bytes of JSON; the cells appear again in the RSC script; decision 022). Each
// figure is rounded up so that a page that stops at its byte budget stays under it (e2e/budget.spec.ts).
export const SHELL_HTML_BYTES = 32_000;
const PAGE_HTML_BYTES = 6_000;
const HTML_BYTES_PER_ROW_JSON_BYTE = 4.0;

/** What a Scan page adds to the catalog's HTML, estimated from its rows' text. */
export function estimatedHtmlBytes(rows: readonly BikeRowCells[]): number {
  let json = 0;
  for (const row of rows) json += Buffer.byteLength(JSON.stringify(row));
  return PAGE_HTML_BYTES + Math.ceil(json * HTML_BYTES_PER_ROW_JSON_BYTE);
}

/** A Scan page's rows, formatted once, and what they add to the catalog's HTML. */
export function scanPageRows(bikes: CatalogItem[]): { rendered: BikeRowCells[]; bytes: number } {
  const rendered = bikes.map(bikeRowCells);
  return { rendered, bytes: estimatedHtmlBytes(rendered) };
}

/** One DynamoDB Scan page of bikes: a <tbody> of its own, so each page streams as a unit. */
export function BikeRows({ bikes, page }: { bikes: CatalogItem[]; page?: number }) {
  return <ScanPageRows rows={bikes.map(bikeRowCells)} page={page} />;
}

/** Placeholder rows shown while a Scan page is on its way. */
export function BikeRowsSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <tbody aria-busy="true" aria-label="Loading more bikes" className="skeleton">
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity and never reorder.
        <tr key={row}>
          {BIKE_COLUMNS.map((column) => (
            <td key={column}>
              <span className="skeleton-bar" />
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}
