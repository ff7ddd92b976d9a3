// Order and shape of the streamed response on the wire — never milliseconds (timings are the
// benchmark's job: npm run measure / npm run bench).
import { measure, summarize } from "@firstbyte/ttfb";
import { EXPECTED_BIKES, expect, targetUrl, test } from "./fixtures";

const MARKERS = {
  shell: 'id="catalog"',
  firstRow: 'data-bike-id="',
  summary: 'id="catalog-summary"',
};

test.describe("streaming on the wire", () => {
  test("the shell is in the first chunk of /bikes, sent before the first Scan page was ready", async () => {
    // Warm the route first: on a cold server the first render can outlast a local DynamoDB round
    // trip, and React then (rightly) inlines a page that is already complete into the shell.
    await measure(`${targetUrl()}/bikes?limit=1`);
    const m = await measure(`${targetUrl()}/bikes`, { markers: MARKERS });
    expect(m.status).toBe(200);
    const first = m.chunks[0];
    expect(first, "the body has at least one chunk").toBeDefined();
    expect(m.markers.shell, "the shell was sent").toBeDefined();
    expect(m.markers.firstRow, "rows were sent").toBeDefined();
    // Marker times are the arrival times of the socket reads that carried them. The first Scan page
    // is small (decision 006) and can follow the shell within a few ms, in the same read.
    expect(m.markers.shell).toBeLessThanOrEqual(first!.atMs);
    expect(m.markers.firstRow!).toBeGreaterThanOrEqual(first!.atMs);
    expect(m.markers.summary!).toBeGreaterThan(m.markers.firstRow!);
    // What proves the shell left before DynamoDB answered is the HTML's shape: React sent the
    // Suspense fallback (the skeleton) and a placeholder in the shell, and the first rows later,
    // as a hidden segment that its $RC script moves into place. A page that waited for the first
    // Scan page would have inlined its rows and sent no skeleton before them.
    const html = await (await fetch(`${targetUrl()}/bikes`)).text();
    const skeleton = html.indexOf('aria-busy="true"');
    const firstRow = html.indexOf(MARKERS.firstRow);
    expect(skeleton, "the shell carries the Suspense fallback").toBeGreaterThan(-1);
    expect(firstRow, "the first row comes after the fallback").toBeGreaterThan(skeleton);
    expect(html.lastIndexOf(' hidden id="S:', firstRow), "the first row is in a streamed segment").toBeGreaterThan(
      skeleton,
    );
    // One read per Scan page at least: 2,000 bikes in pages of 200 cannot come in one piece.
    expect(m.chunks.length).toBeGreaterThan(2);
  });

  test("the buffered page sends nothing until the rows are ready", async () => {
    const m = await measure(`${targetUrl()}/bikes/buffered`, { markers: MARKERS });
    expect(m.status).toBe(200);
    expect(m.markers.shell).toBeDefined();
    // Rows and shell travel together once the whole scan is in: no read carries the shell alone.
    expect(m.markers.firstRow).toBe(m.markers.shell);
  });

  test("/bikes answers its first byte, and its first row, before /bikes/buffered answers anything", async () => {
    const streamedTtfb: number[] = [];
    const streamedFirstRow: number[] = [];
    const bufferedTtfb: number[] = [];
    // Alternate the two so that whatever else the machine is doing hits both alike.
    for (let run = 0; run < 3; run++) {
      const streamed = await measure(`${targetUrl()}/bikes`, { markers: MARKERS });
      streamedTtfb.push(streamed.ttfbMs);
      streamedFirstRow.push(streamed.markers.firstRow ?? Infinity);
      bufferedTtfb.push((await measure(`${targetUrl()}/bikes/buffered`)).ttfbMs);
    }
    expect(summarize(streamedTtfb).median).toBeLessThan(summarize(bufferedTtfb).median);
    // On the wire, the first row of the streamed page is in before the buffered page's first byte.
    // (In Chromium, React's ~300 ms reveal throttle can make it *visible* later: see BENCHMARKS.md.)
    expect(summarize(streamedFirstRow).median).toBeLessThan(summarize(bufferedTtfb).median);
  });

  test("/api/bikes sends the first NDJSON line before the scan ends", async () => {
    const m = await measure(`${targetUrl()}/api/bikes?pageSize=100`, {
      markers: { firstLine: '{"page":0,', lastLine: `"page":${Math.ceil(EXPECTED_BIKES / 100) - 1},` },
    });
    expect(m.status).toBe(200);
    expect(m.markers.firstLine).toBeDefined();
    expect(m.markers.lastLine).toBeDefined();
    expect(m.markers.firstLine!).toBeLessThan(m.markers.lastLine!);
  });
});
