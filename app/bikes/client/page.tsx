import type { Metadata } from "next";
import { NdjsonBikeTable } from "@/components/catalog/NdjsonBikeTable";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Client-rendered catalog" };

/** For comparison: an empty shell whose rows a client component renders from /api/bikes NDJSON. */
export default async function ClientCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = toSearchParams(await searchParams);
  const query = search.size > 0 ? `?${search.toString()}` : "";
  return (
    <main>
      <h1>Bikes, rendered in the browser</h1>
      <p className="lede">
        This page arrives empty; the browser fetches /api/bikes and renders each NDJSON line as it comes.
      </p>
      <div id="catalog">
        <NdjsonBikeTable query={query} />
      </div>
    </main>
  );
}
