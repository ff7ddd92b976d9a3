import type { ReactNode } from "react";

export const BIKE_COLUMNS = ["Bike", "Type", "Frame", "Wheels", "Colour", "Year", "Weight", "Price", "Stock"] as const;

/** The catalog table and its column heads: part of the shell, sent before any data. */
export function BikeTable({ children, caption }: { children: ReactNode; caption?: string }) {
  return (
    <table className="bike-table">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {BIKE_COLUMNS.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      {children}
    </table>
  );
}

/** What the closing line says of the read, as the data-* attributes that e2e and perf:budget read. */
export interface ClosingLineData {
  "data-count": number;
  "data-server-ms"?: number;
  "data-stopped-by"?: string | undefined;
  "data-error-code"?: string | undefined;
  "data-complete"?: boolean;
}

/** The table's closing line (`#catalog-summary`): one cell across every column, below the rows. */
export function ClosingLine({ children, ...data }: ClosingLineData & { children: ReactNode }) {
  return (
    <tfoot>
      <tr>
        <td colSpan={BIKE_COLUMNS.length} id="catalog-summary" {...data}>
          {children}
        </td>
      </tr>
    </tfoot>
  );
}
