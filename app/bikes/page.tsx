import type { Metadata } from "next";
import { Suspense } from "react";
import { BikeRowsSkeleton } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { StreamedBikePages } from "@/components/catalog/StreamedBikePages";
import { BadRequest } from "@/components/errors/BadRequest";
import { bikePages } from "@/lib/catalog";
import { config } from "@/lib/config";
import { parseCatalogQuery } from "@/lib/params";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Streamed catalog" };

export default async function StreamedCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const startedAt = performance.now();
  const search = toSearchParams(await searchParams);
  const parsed = parseCatalogQuery(search, config());
  // The proxy answers bad parameters with a 400 before this renders; this is the fallback.
  if (!parsed.ok) return <BadRequest errors={parsed.errors} />;

  return (
    <main>
      <h1>Bikes, streamed</h1>
      <p className="lede">
        The shell you are reading left the server before DynamoDB answered. Each Scan page
        {parsed.query.firstPageSize < parsed.query.pageSize
          ? ` (the first of ${parsed.query.firstPageSize} bikes, each later one twice as large, up to ${parsed.query.pageSize})`
          : ` of ${parsed.query.pageSize} bikes`}{" "}
        arrives in its own Suspense boundary as soon as DynamoDB returns it
        {parsed.query.segments > 1 ? `, from ${parsed.query.segments} parallel scan segments` : ""}.
      </p>
      <div id="catalog">
        <BikeTable>
          <Suspense fallback={<BikeRowsSkeleton />}>
            <StreamedBikePages pages={bikePages(parsed.query)} startedAt={startedAt} search={search} />
          </Suspense>
        </BikeTable>
      </div>
    </main>
  );
}
