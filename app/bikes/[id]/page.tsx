import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CatalogUnavailable } from "@/components/catalog/CatalogUnavailable";
import { formatPrice, formatWeight } from "@/components/catalog/format";
import type { Bike } from "@/lib/bike";
import { getBike } from "@/lib/catalog";
import { shareCatalogPage } from "@/lib/edge-cache";
import { answerUnavailable, describeScanFailure, RETRY_AFTER_SECONDS, requestIdFrom } from "@/lib/scan-failure";

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
  // The page reads the same memoised GetItem and answers its failure; the title only names it.
  const bike = await getBike(bikeId(await params)).catch(() => null);
  if (bike === null) return { title: "Catalog unavailable" };
  return { title: bike ? `${bike.brand} ${bike.model}` : "Bike not found" };
}

/**
 * One bike by its id (GetItem). No Suspense above it, so notFound() still sets a 404 status, and a
 * failed GetItem a 503 (decision 023).
 */
export default async function BikePage({ params }: { params: Params }) {
  const id = bikeId(await params);
  // Stored at the edge when found; a 404 or a 503 keeps its own Cache-Control (decision 027).
  shareCatalogPage();
  let bike: Bike | undefined;
  try {
    bike = await getBike(id);
  } catch (error) {
    const failure = describeScanFailure(error);
    const requestId = requestIdFrom(await headers());
    if (!answerUnavailable({ route: "/bikes/[id]", operation: "GetItem", requestId, failure })) throw error;
    return (
      <CatalogUnavailable
        failure={failure}
        consequence="this bike could not be shown."
        retryAfterSeconds={RETRY_AFTER_SECONDS}
        retryHref={`/bikes/${encodeURIComponent(id)}`}
        requestId={requestId}
      />
    );
  }
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
