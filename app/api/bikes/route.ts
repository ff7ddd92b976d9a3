// The catalog as data: streamed NDJSON, one line per DynamoDB Scan page the moment it arrives, or
// (?mode=buffered) one JSON array after the whole scan. Bad parameters were answered 400 by the proxy.
import { badRequestJson } from "@/lib/bad-request-response";
import { allPages, type CatalogRead, cursorFor, readCatalog } from "@/lib/catalog";
import { config } from "@/lib/config";
import { catalogCacheHeaders, incompleteEnder } from "@/lib/edge-cache";
import { parseCatalogQuery, parseMode } from "@/lib/params";
import {
  describeScanFailure,
  failedBeforeFirstByte,
  logScanFailure,
  readerRequestId,
  type ScanFailure,
} from "@/lib/scan-failure";

export const dynamic = "force-dynamic";

const ROUTE = "/api/bikes";
const BUDGET_NAMES = { bytes: "byte budget", time: "time budget", scanRequests: "Scan request budget" } as const;

/** Where to go on after a read: a cursor for a one-segment scan, or a plain word that it starts over. */
function resumeFields(read: CatalogRead, segments: number): { cursor?: string; restart?: true } {
  if (segments > 1) return { restart: true };
  return read.resumeKey ? { cursor: cursorFor(read.resumeKey) } : {};
}

function failureLine(failure: ScanFailure, read: CatalogRead, segments: number, requestId: string) {
  return {
    error: failure.code,
    message: `${failure.reason} after ${read.bikesRead} bikes; the list is incomplete.`,
    count: read.bikesRead,
    ...resumeFields(read, segments),
    requestId,
  };
}

export async function GET(request: Request): Promise<Response> {
  const startedAt = performance.now();
  const search = new URL(request.url).searchParams;
  const parsed = parseCatalogQuery(search, config());
  const mode = parseMode(search);
  if (!parsed.ok || !mode.ok)
    return badRequestJson([...(parsed.ok ? [] : parsed.errors), ...(mode.ok ? [] : mode.errors)]);
  const { query } = parsed;
  const requestId = readerRequestId();
  const encoder = new TextEncoder();

  if (mode.mode === "buffered") {
    const read = readCatalog(query, { startedAt, signal: request.signal });
    let pagesJson: string[];
    try {
      // Each page serialised once: its bytes count against the budget, and the body is made of them.
      pagesJson = await allPages(read, (page) => {
        const rendered = JSON.stringify(page);
        return { rendered, bytes: Buffer.byteLength(rendered) };
      });
    } catch (error) {
      // Nothing was sent yet, so the status can still say it: 503, try again shortly, or 500 when
      // trying again cannot help. The bikes read before the failure are dropped, so the way on is
      // the request's own cursor.
      const { failure, status, headers } = failedBeforeFirstByte({ route: ROUTE, requestId, error });
      const body = {
        error: failure.code,
        message: `${failure.reason}; nothing was sent.${status === 503 ? " Try again in a few seconds." : ""}`,
        ...(query.cursorToken ? { cursor: query.cursorToken } : {}),
        requestId,
      };
      return Response.json(body, { status, headers });
    }
    const headers: Record<string, string> = { ...catalogCacheHeaders() };
    if (read.resumeKey) headers["x-next-cursor"] = cursorFor(read.resumeKey);
    if (read.stoppedBy) headers["x-stopped-by"] = `budget-${read.stoppedBy}`;
    // The pages' arrays joined into one: the same bytes as JSON.stringify of every bike.
    const items = pagesJson.map((json) => json.slice(1, -1)).filter((json) => json !== "");
    return new Response(`[${items.join(",")}]`, { headers: { ...headers, "content-type": "application/json" } });
  }

  const read = readCatalog(query, { startedAt, signal: request.signal });
  const endIncomplete = incompleteEnder();
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, line: unknown) => {
    const bytes = encoder.encode(`${JSON.stringify(line)}\n`);
    read.sent(bytes.byteLength);
    controller.enqueue(bytes);
  };
  // Pull-based: a page is read from DynamoDB only when the consumer has taken the previous line, so a
  // slow client never makes the function hold more than one page (backpressure, not accumulation).
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await read.pages.next();
        if (next.done) {
          if (read.stoppedBy) {
            send(controller, {
              stopped: "budget",
              budget: read.stoppedBy,
              message: `This response stopped at its ${BUDGET_NAMES[read.stoppedBy]} after ${read.bikesRead} bikes; ${query.segments > 1 ? "a parallel scan cannot go on from here, start again with one segment" : "go on with the cursor"}.`,
              count: read.bikesRead,
              ...resumeFields(read, query.segments),
            });
          }
          return controller.close();
        }
        const { items, lastKey, segment, index } = next.value;
        send(controller, {
          page: index,
          segment,
          count: items.length,
          items,
          ...(lastKey ? { cursor: cursorFor(lastKey) } : {}),
        });
      } catch (error) {
        // The client went away: nobody is left to tell.
        if (request.signal.aborted) return controller.close();
        // Headers are gone already; a final error line tells the reader the stream is incomplete.
        const failure = describeScanFailure(error);
        logScanFailure({
          route: ROUTE,
          requestId,
          pagesServed: read.pagesRead,
          bikesServed: read.bikesRead,
          failure,
        });
        send(controller, failureLine(failure, read, query.segments, requestId));
        // Ends the stream abnormally after this line, so no shared cache stores it (decision 027).
        endIncomplete(failure.code);
        controller.close();
      }
    },
    async cancel() {
      await read.pages.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      ...catalogCacheHeaders(),
      "x-content-type-options": "nosniff",
    },
  });
}
