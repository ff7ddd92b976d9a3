import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CatalogUnavailable } from "@/components/catalog/CatalogUnavailable";
import { formatPrice, formatWeight } from "@/components/catalog/format";
import { type CatalogItem, isIncomplete } from "@/lib/bike";
import { getBike } from "@/lib/catalog";
import { shareCatalogPage } from "@/lib/edge-cache";
import { answerUnavailable, describeScanFailure, RETRY_AFTER_SECONDS, readerRequestId } from "@/lib/scan-failure";

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
  return { title: bike ? bikeName(bike) : "Bike not found" };
}

/** The bike's name, or its id when the item lacks one. */
function bikeName(bike: CatalogItem): string {
  return bike.brand === undefined || bike.model === undefined ? bike.id : `${bike.brand} ${bike.model}`;
}

/** A field's text, or a dash where a malformed item lacked it (decision 024). */
function shown<T>(value: T | undefined, format: (value: T) => string = String): string {
  return value === undefined ? "—" : format(value);
}

/**
 * One bike by its id (GetItem). No Suspense above it, so notFound() still sets a 404 status, and a
 * failed GetItem a 503 (decision 023).
 */
export default async function BikePage({ params }: { params: Params }) {
  const id = bikeId(await params);
  // Stored at the edge when found; a 404 or a 503 keeps its own Cache-Control (decision 027).
  shareCatalogPage();
  let bike: CatalogItem | undefined;
  try {
    bike = await getBike(id);
  } catch (error) {
    const failure = describeScanFailure(error);
    const requestId = readerRequestId();
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
      <h1 data-bike-id={bike.id}>{bikeName(bike)}</h1>
      {isIncomplete(bike) ? (
        <p className="record-incomplete" id="record-incomplete">
          This bike&apos;s record is incomplete: only the details that could be read are shown.
        </p>
      ) : null}
      {bike.description === undefined ? null : <p className="lede">{bike.description}</p>}
      <dl className="bike">
        <dt>Type</dt>
        <dd>{shown(bike.type)}</dd>
        <dt>Frame size</dt>
        <dd>{shown(bike.frameSize)}</dd>
        <dt>Wheel size</dt>
        <dd>{shown(bike.wheelSize)}</dd>
        <dt>Colour</dt>
        <dd>{shown(bike.colour)}</dd>
        <dt>Year</dt>
        <dd>{shown(bike.year)}</dd>
        <dt>Weight</dt>
        <dd>{shown(bike.weightKg, formatWeight)}</dd>
        <dt>Price</dt>
        <dd>{shown(bike.price, formatPrice)}</dd>
        <dt>In stock</dt>
        <dd>{shown(bike.stock)}</dd>
        <dt>Id</dt>
        <dd>
          <code>{bike.id}</code>
        </dd>
      </dl>
    </main>
  );
}
