// Order and shape of the streamed response on the wire — never milliseconds (timings are the
// benchmark's job: npm run perf:ttfb / npm run bench).
import { measure, summarize } from "@firstbyte/ttfb";
import { attributeOf } from "../harness/server-html";
import { EXPECTED_BIKES, expect, SLOW_FIRST_SCAN_MS, targetUrl, test } from "./fixtures";

const MARKERS = {
  shell: 'id="catalog"',
  firstRow: 'data-bike-id="',
  summary: 'id="catalog-summary"',
};

test.describe("streaming on the wire", () => {
  test("the shell is in the first chunk of /bikes; the first Scan page is in it only when it came within the bounded wait", async () => {
    // Warm the route first, so that what is checked is the page's own order, not a cold start.
    await measure(`${targetUrl()}/bikes?limit=1`);
    const m = await measure(`${targetUrl()}/bikes`, { markers: MARKERS, keepBody: true });
    expect(m.status).toBe(200);
    const first = m.chunks[0];
    expect(first, "the body has at least one chunk").toBeDefined();
    expect(m.markers.shell, "the shell was sent").toBeDefined();
    expect(m.markers.firstRow, "rows were sent").toBeDefined();
    // Marker times are the arrival times of the socket reads that carried them.
    expect(m.markers.shell).toBeLessThanOrEqual(first!.atMs);
    expect(m.markers.firstRow!).toBeGreaterThanOrEqual(first!.atMs);
    expect(m.markers.summary!).toBeGreaterThan(m.markers.firstRow!);
    // The page waits a bounded time for the first Scan page (BIKES_FIRST_PAGE_WAIT_MS, decision 021)
    // and says which way it went. Either way the later pages stream: a Suspense fallback (the
    // skeleton) in the shell, rows after it in hidden segments that React's $RC moves into place.
    const html = m.body!;
    const way = attributeOf(html, "catalog", "data-first-page");
    const firstRow = html.indexOf(MARKERS.firstRow);
    const skeleton = html.indexOf('aria-busy="true"');
    expect(skeleton, "the shell carries a Suspense fallback").toBeGreaterThan(-1);
    const segment = html.indexOf(' hidden id="S:');
    expect(segment, "rows are streamed in hidden segments").toBeGreaterThan(skeleton);
    if (way === "shell") {
      // The first page is part of the shell: its rows come before the fallback of the next page and
      // are in no hidden segment.
      expect(firstRow, "the first rows are in the shell, before the next page's fallback").toBeLessThan(skeleton);
      expect(html.lastIndexOf(' hidden id="S:', firstRow), "the first row is in no streamed segment").toBe(-1);
    } else {
      expect(way).toBe("streamed");
      expect(firstRow, "the first row comes after the fallback").toBeGreaterThan(skeleton);
      expect(html.lastIndexOf(' hidden id="S:', firstRow), "the first row is in a streamed segment").toBeGreaterThan(
        skeleton,
      );
    }
    // One read per Scan page at least: 2,000 bikes in pages of up to 200 cannot come in one piece.
    expect(m.chunks.length).toBeGreaterThan(2);
  });

  test("when DynamoDB is slower than the bounded wait, the shell leaves first with the skeleton and the first rows follow", async ({
    faults,
  }) => {
    await measure(`${targetUrl()}/bikes?limit=1`);
    // The first Scan answers far beyond the wait (tens of ms); the rest at DynamoDB's own speed.
    await faults.setFaults([{ operation: "Scan", times: 1, fault: { kind: "latency", ms: SLOW_FIRST_SCAN_MS } }]);
    const m = await measure(`${targetUrl()}/bikes`, { markers: MARKERS, keepBody: true });
    expect(m.status).toBe(200);
    expect((await faults.state()).counts.Scan?.faulted, "the first Scan was slowed").toBe(1);
    const html = m.body!;
    expect(attributeOf(html, "catalog", "data-first-page"), "the page did not wait for the slow Scan").toBe("streamed");
    // On the wire: the shell's read arrived, and a later read carried the first row.
    const first = m.chunks[0]!;
    expect(m.markers.shell).toBeLessThanOrEqual(first.atMs);
    expect(m.markers.firstRow!).toBeGreaterThan(m.markers.shell!);
    const skeleton = html.indexOf('aria-busy="true"');
    const firstRow = html.indexOf(MARKERS.firstRow);
    expect(skeleton, "the shell carries the Suspense fallback").toBeGreaterThan(-1);
    expect(firstRow, "the first row comes after the fallback").toBeGreaterThan(skeleton);
    expect(html.lastIndexOf(' hidden id="S:', firstRow), "the first row is in a streamed segment").toBeGreaterThan(
      skeleton,
    );
    expect(html.match(/data-bike-id="/g)?.length ?? 0, "every row was still sent").toBeGreaterThanOrEqual(
      EXPECTED_BIKES,
    );
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
