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
