import Link from "next/link";

export default function HomePage() {
  return (
    <main>
      <h1>A bike catalog that streams from DynamoDB</h1>
      <p className="lede">
        Every page here runs in an AWS Lambda behind a Function URL in response-streaming mode. The streamed catalog
        sends its HTML shell at once, then each DynamoDB Scan page in its own React Suspense boundary the moment
        DynamoDB returns it. The buffered catalog waits for the whole scan first, as most server renders do. Compare how
        soon the first row shows.
      </p>
      <ul>
        <li>
          <Link href="/compare" prefetch={false}>
            Side by side
          </Link>{" "}
          — both catalogs loading at once, with what your browser measured of each (response start, first and last row
          on screen, bytes).
        </li>
        <li>
          <Link href="/bikes" prefetch={false}>
            Streamed catalog
          </Link>{" "}
          — shell first, then one Scan page at a time (<code>?pageSize=1–1000</code>, <code>?segments=1–16</code>,{" "}
          <code>?limit=N</code>).
        </li>
        <li>
          <Link href="/bikes/buffered" prefetch={false}>
            Buffered catalog
          </Link>{" "}
          — the whole scan, then the page.
        </li>
        <li>
          <Link href="/bikes/client" prefetch={false}>
            Client-rendered catalog
          </Link>{" "}
          — an empty page that renders the NDJSON below in the browser, line by line.
        </li>
        <li>
          <a href="/api/bikes">/api/bikes</a> — the same scan as NDJSON, one line per page as it arrives (
          <code>?mode=buffered</code> for one JSON array).
        </li>
      </ul>
    </main>
  );
}
