"use client";
// One catalog row, as a client component on purpose (decision 007). A server component's rows reach
// the SSR renderer as React's RSC payload, one element per cell, and React's Flight client keeps
// every element of a response until the response ends: ~1.7 KB of live heap per bike. As a client
// component the row crosses the payload as one element with one props object of ready-made strings,
// so the function keeps a fraction of that, and the HTML carries a shorter copy of each row in its
// inline RSC scripts. The row has no state and no effects; it renders the same on server and client.
import Link from "next/link";

/** What a row shows, formatted where the bike is read (`bikeRowData` in BikeRows.tsx), so server and browser render the same text. */
export interface BikeRowData {
  id: string;
  name: string;
  type: string;
  frameSize: string;
  wheelSize: string;
  colour: string;
  year: number;
  weight: string;
  price: string;
  stock: number;
}

export function BikeRow({ row }: { row: BikeRowData }) {
  return (
    <tr data-bike-id={row.id}>
      <th scope="row">
        <Link href={`/bikes/${encodeURIComponent(row.id)}`} prefetch={false}>
          {row.name}
        </Link>
      </th>
      <td>{row.type}</td>
      <td>{row.frameSize}</td>
      <td>{row.wheelSize}</td>
      <td>{row.colour}</td>
      <td>{row.year}</td>
      <td>{row.weight}</td>
      <td className="num">{row.price}</td>
      <td className="num">{row.stock}</td>
    </tr>
  );
}
