import Link from "next/link";
import type { Bike } from "@/lib/bike";
import { BIKE_COLUMNS } from "./BikeTable";

const price = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function BikeRow({ bike }: { bike: Bike }) {
  return (
    <tr data-bike-id={bike.id}>
      <th scope="row">
        <Link href={`/bikes/${encodeURIComponent(bike.id)}`} prefetch={false}>
          {bike.brand} {bike.model}
        </Link>
      </th>
      <td>{bike.type}</td>
      <td>{bike.frameSize}</td>
      <td>{bike.wheelSize}</td>
      <td>{bike.colour}</td>
      <td>{bike.year}</td>
      <td>{bike.weightKg.toFixed(1)} kg</td>
      <td className="num">{price.format(bike.price)}</td>
      <td className="num">{bike.stock}</td>
    </tr>
  );
}

/** One DynamoDB Scan page of bikes: a <tbody> of its own, so each page streams as a unit. */
export function BikeRows({ bikes, page }: { bikes: Bike[]; page?: number }) {
  return (
    <tbody data-scan-page={page}>
      {bikes.map((bike) => (
        <BikeRow key={bike.id} bike={bike} />
      ))}
    </tbody>
  );
}

/** Placeholder rows shown while a Scan page is on its way. */
export function BikeRowsSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <tbody aria-busy="true" aria-label="Loading more bikes" className="skeleton">
      {Array.from({ length: rows }, (_, row) => (
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
