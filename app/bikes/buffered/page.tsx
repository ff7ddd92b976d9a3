import type { Metadata } from "next";
import { BikeRows } from "@/components/catalog/BikeRows";
import { BikeTable } from "@/components/catalog/BikeTable";
import { CatalogSummary } from "@/components/catalog/CatalogSummary";
import { BadRequest } from "@/components/errors/BadRequest";
import { allBikes } from "@/lib/catalog";
import { config } from "@/lib/config";
import { parseCatalogQuery } from "@/lib/params";
import { type SearchParams, toSearchParams } from "@/lib/search-params";

export const metadata: Metadata = { title: "Buffered catalog" };

/** The traditional server render, for comparison: the whole scan is awaited before the first byte. */
export default async function BufferedCatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const startedAt = performance.now();
  const search = toSearchParams(await searchParams);
  const parsed = parseCatalogQuery(search, config());
  if (!parsed.ok) return <BadRequest errors={parsed.errors} />;

  const { bikes, lastKey } = await allBikes(parsed.query);
  return (
    <main>
      <h1>Bikes, buffered</h1>
      <p className="lede">This page waited for every Scan page before sending its first byte.</p>
      <div id="catalog">
        <BikeTable>
          <BikeRows bikes={bikes} />
          <CatalogSummary
            count={bikes.length}
            serverMs={performance.now() - startedAt}
            search={search}
            lastKey={lastKey}
          />
        </BikeTable>
      </div>
    </main>
  );
}
