import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatPrice, formatWeight } from "@/components/catalog/format";
import { getBike } from "@/lib/catalog";

type Params = Promise<{ id: string }>;

/** The id from the path; a malformed escape cannot name a bike, so it reads as "no such bike". */
function bikeId({ id }: { id: string }): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return "";
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const bike = await getBike(bikeId(await params));
  return { title: bike ? `${bike.brand} ${bike.model}` : "Bike not found" };
}

/** One bike by its id (GetItem). No Suspense above it, so notFound() still sets a 404 status. */
export default async function BikePage({ params }: { params: Params }) {
  const bike = await getBike(bikeId(await params));
  if (!bike) notFound();
  return (
    <main>
      <p>
        <Link href="/bikes" prefetch={false}>
          ← All bikes
        </Link>
      </p>
      <h1 data-bike-id={bike.id}>
        {bike.brand} {bike.model}
      </h1>
      <p className="lede">{bike.description}</p>
      <dl className="bike">
        <dt>Type</dt>
        <dd>{bike.type}</dd>
        <dt>Frame size</dt>
        <dd>{bike.frameSize}</dd>
        <dt>Wheel size</dt>
        <dd>{bike.wheelSize}</dd>
        <dt>Colour</dt>
        <dd>{bike.colour}</dd>
        <dt>Year</dt>
        <dd>{bike.year}</dd>
        <dt>Weight</dt>
        <dd>{formatWeight(bike.weightKg)}</dd>
        <dt>Price</dt>
        <dd>{formatPrice(bike.price)}</dd>
        <dt>In stock</dt>
        <dd>{bike.stock}</dd>
        <dt>Id</dt>
        <dd>
          <code>{bike.id}</code>
        </dd>
      </dl>
    </main>
  );
}
