import type { Bike } from "@/lib/bike";
import { BikeRow, type BikeRowData } from "./BikeRow";
import { BIKE_COLUMNS } from "./BikeTable";
import { formatPrice, formatWeight } from "./format";

/** The row's text: formatted once, where the bike is read, and sent to the row ready to show. */
export function bikeRowData(bike: Bike): BikeRowData {
  return {
    id: bike.id,
    name: `${bike.brand} ${bike.model}`,
    type: bike.type,
    frameSize: bike.frameSize,
    wheelSize: bike.wheelSize,
    colour: bike.colour,
    year: bike.year,
    weight: formatWeight(bike.weightKg),
    price: formatPrice(bike.price),
    stock: bike.stock,
  };
}

// What the catalog's HTML costs, for the byte budget (a server component cannot see the bytes React
// writes). Measured on the Lambda path at 2,000 bikes: the page before any row is 29.7 KB (layout,
// inline scripts with their CSP nonce); each Scan page's Suspense boundary (skeleton fallback,
// hidden segment, $RC script) ~5.5 KB; a row ~3.2 times the JSON of its row data (598 bytes a bike,
// its props appear again in the RSC script). Each figure is rounded up so that a page that stops at
// its byte budget stays under it (e2e/budget.spec.ts).
export const SHELL_HTML_BYTES = 32_000;
const PAGE_HTML_BYTES = 6_000;
const HTML_BYTES_PER_ROW_JSON_BYTE = 3.5;

/** What a Scan page adds to the catalog's HTML, estimated from its rows' text. */
export function estimatedHtmlBytes(bikes: Bike[]): number {
  let json = 0;
  for (const bike of bikes) json += Buffer.byteLength(JSON.stringify(bikeRowData(bike)));
  return PAGE_HTML_BYTES + Math.ceil(json * HTML_BYTES_PER_ROW_JSON_BYTE);
}

/** One DynamoDB Scan page of bikes: a <tbody> of its own, so each page streams as a unit. */
export function BikeRows({ bikes, page }: { bikes: Bike[]; page?: number }) {
  return (
    <tbody data-scan-page={page}>
      {bikes.map((bike) => (
        <BikeRow key={bike.id} row={bikeRowData(bike)} />
      ))}
    </tbody>
  );
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
