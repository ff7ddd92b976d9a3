// The catalog as data: streamed NDJSON, one line per DynamoDB Scan page the moment it arrives, or
// (?mode=buffered) one JSON array after the whole scan. Bad parameters were answered 400 by the proxy.
import { badRequestJson } from "@/lib/bad-request-response";
import { allBikes, bikePages, cursorFor } from "@/lib/catalog";
import { config } from "@/lib/config";
import { parseCatalogQuery, parseMode } from "@/lib/params";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const search = new URL(request.url).searchParams;
  const parsed = parseCatalogQuery(search, config());
  const mode = parseMode(search);
  if (!parsed.ok || !mode.ok)
    return badRequestJson([...(parsed.ok ? [] : parsed.errors), ...(mode.ok ? [] : mode.errors)]);

  if (mode.mode === "buffered") {
    const { bikes, lastKey } = await allBikes(parsed.query, request.signal);
    return Response.json(bikes, { headers: lastKey ? { "x-next-cursor": cursorFor(lastKey) } : {} });
  }

  const pages = bikePages(parsed.query, request.signal);
  const encoder = new TextEncoder();
  // Pull-based: a page is read from DynamoDB only when the consumer has taken the previous line, so a
  // slow client never makes the function hold more than one page (backpressure, not accumulation).
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await pages.next();
        if (next.done) return controller.close();
        const { items, lastKey, segment, index } = next.value;
        const line = {
          page: index,
          segment,
          count: items.length,
          items,
          ...(lastKey ? { cursor: cursorFor(lastKey) } : {}),
        };
        controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      } catch (error) {
        // The client went away: nobody is left to tell.
        if (request.signal.aborted) return controller.close();
        // Headers are gone already; a final error line tells the reader the stream is incomplete.
        console.error("GET /api/bikes: scan failed mid-stream", error);
        controller.enqueue(
          encoder.encode(
            `${JSON.stringify({ error: "scan_failed", message: "the scan stopped before the end of the table" })}\n`,
          ),
        );
        controller.close();
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
