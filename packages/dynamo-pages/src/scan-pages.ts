import {
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { ScanOptionsError } from "./errors.ts";
import { checkKey, type Key } from "./key.ts";

/** One Scan response. */
export interface ScanPage<T> {
  items: T[];
  /** Where this page's segment stops: undefined once the segment is exhausted, else the resume key. */
  lastKey: Key | undefined;
  segment: number;
  /** 0-based count of pages yielded before this one, across all segments. */
  index: number;
}

export interface ScanPagesOptions {
  table: string;
  /** DynamoDB `Limit` per request; default 200. */
  pageSize?: number;
  /**
   * `Limit` of each segment's first request; every later request of the segment doubles it, up to
   * `pageSize`. A small first page reaches the consumer sooner (DynamoDB reads and the consumer
   * renders fewer items before the first ones can be shown), larger later pages mean fewer round
   * trips. Default: `pageSize` (every request asks for `pageSize`).
   */
  firstPageSize?: number;
  /** `ExclusiveStartKey` of the first request (only with `segments === 1`). */
  startKey?: Key;
  /** Default 1; more runs a parallel scan and yields pages of all segments in the order they complete. */
  segments?: number;
  /** Stop after exactly this many items (only with `segments === 1`); the last page's lastKey is the resume point. */
  maxItems?: number;
  /**
   * Send at most this many Scan requests in all, those in flight included: with more segments than
   * that, only this many segments start. The pages then end; each page is one request, so a
   * consumer that counts pages knows the ceiling was reached. Default: no ceiling.
   */
  maxRequests?: number;
  /** Aborts the in-flight request and stops the scan; the generator then throws `signal.reason`. */
  signal?: AbortSignal;
  consistentRead?: boolean;
}

const DEFAULT_PAGE_SIZE = 200;
// Scan's TotalSegments accepts 1..1,000,000
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-TotalSegments).
const MAX_SEGMENTS = 1_000_000;
// The SDK's Node handler opens at most 50 sockets per client by default (maxSockets), so more
// requests would only queue inside it; capping here also bounds the pages held for the consumer.
const MAX_REQUESTS_IN_FLIGHT = 50;

interface ScanPlan {
  table: string;
  pageSize: number;
  firstPageSize: number;
  startKey: Key | undefined;
  segments: number;
  maxItems: number | undefined;
  maxRequests: number;
  signal: AbortSignal | undefined;
  consistentRead: boolean | undefined;
}

/** A settled Scan request of one segment, queued until the consumer asks for the next page. */
type Settled =
  | { segment: number; ok: true; output: ScanCommandOutput }
  | { segment: number; ok: false; error: unknown };

/**
 * Scans `options.table` and yields each Scan response as a page the moment it arrives.
 *
 * Every response becomes a page, even one with no items (DynamoDB may return those with a
 * LastEvaluatedKey, and the response after a page that ended exactly at `Limit` is empty), so the
 * last page of each segment always says `lastKey: undefined` or carries the resume key.
 *
 * Requests are sent only while the consumer is waiting for a page: one per segment at most, none
 * after the consumer stops (`break`/`return()`), which also aborts the requests still in flight.
 * Throws {@link ScanOptionsError} at once for bad options.
 */
export function scanPages<T = Record<string, unknown>>(
  client: DynamoDBDocumentClient,
  options: ScanPagesOptions,
): AsyncGenerator<ScanPage<T>, void, undefined> {
  return runScan<T>(client, planScan(options));
}

function planScan(options: ScanPagesOptions): ScanPlan {
  if (typeof options !== "object" || options === null) throw new ScanOptionsError("scanPages needs an options object.");
  const {
    table,
    pageSize = DEFAULT_PAGE_SIZE,
    firstPageSize = pageSize,
    startKey,
    segments = 1,
    maxItems,
    maxRequests = Number.POSITIVE_INFINITY,
    signal,
    consistentRead,
  } = options;
  if (typeof table !== "string" || table.length === 0) {
    throw new ScanOptionsError("table must be a non-empty table name.");
  }
  // DynamoDB rejects Limit < 1 and sets no upper bound: each page also stops at 1 MB.
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new ScanOptionsError(`pageSize must be a whole number of at least 1, got ${String(pageSize)}.`);
  }
  if (!Number.isSafeInteger(firstPageSize) || firstPageSize < 1 || firstPageSize > pageSize) {
    throw new ScanOptionsError(
      `firstPageSize must be a whole number from 1 to pageSize (${pageSize}), got ${String(firstPageSize)}.`,
    );
  }
  if (!Number.isSafeInteger(segments) || segments < 1 || segments > MAX_SEGMENTS) {
    throw new ScanOptionsError(`segments must be a whole number from 1 to ${MAX_SEGMENTS}, got ${String(segments)}.`);
  }
  if (maxItems !== undefined && (!Number.isSafeInteger(maxItems) || maxItems < 1)) {
    throw new ScanOptionsError(`maxItems must be a whole number of at least 1, got ${String(maxItems)}.`);
  }
  if (maxRequests !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(maxRequests) || maxRequests < 1)) {
    throw new ScanOptionsError(`maxRequests must be a whole number of at least 1, got ${String(maxRequests)}.`);
  }
  // A resume key or an item budget belongs to one ordered pass; parallel segments have none.
  if (segments > 1 && startKey !== undefined) {
    throw new ScanOptionsError(
      "startKey works only with segments: 1 (each segment of a parallel scan has its own position).",
    );
  }
  if (segments > 1 && maxItems !== undefined) {
    throw new ScanOptionsError("maxItems works only with segments: 1 (parallel segments finish in no fixed order).");
  }
  let checkedStartKey: Key | undefined;
  if (startKey !== undefined) {
    const checked = checkKey(startKey);
    if ("problem" in checked) throw new ScanOptionsError(`startKey ${checked.problem}.`);
    checkedStartKey = checked.key;
  }
  if (consistentRead !== undefined && typeof consistentRead !== "boolean") {
    throw new ScanOptionsError("consistentRead must be true or false.");
  }
  // Duck-typed: a signal from another realm or a fetch polyfill is not `instanceof AbortSignal`.
  if (signal !== undefined && (typeof signal.aborted !== "boolean" || typeof signal.addEventListener !== "function")) {
    throw new ScanOptionsError("signal must be an AbortSignal.");
  }
  return {
    table,
    pageSize,
    firstPageSize,
    startKey: checkedStartKey,
    segments,
    maxItems,
    maxRequests,
    signal,
    consistentRead,
  };
}

async function* runScan<T>(
  client: DynamoDBDocumentClient,
  plan: ScanPlan,
): AsyncGenerator<ScanPage<T>, void, undefined> {
  const { signal } = plan;
  // One controller for all requests: the caller's abort and the consumer stopping both cancel them.
  const requests = new AbortController();
  const settled: Settled[] = [];
  const inFlight = new Set<Promise<void>>();
  let wakeConsumer: (() => void) | undefined;
  const wake = () => {
    wakeConsumer?.();
    wakeConsumer = undefined;
  };
  const onCallerAbort = () => {
    requests.abort(signal?.reason);
    wake();
  };
  signal?.addEventListener("abort", onCallerAbort, { once: true });

  // Segments waiting for their next request, oldest first, with the key each continues from.
  // A segment is here, in `pending` (request in flight or page not yet yielded), or done.
  const idle = new SegmentQueue();
  for (let segment = 0; segment < plan.segments; segment++)
    idle.push(segment, segment === 0 ? plan.startKey : undefined, plan.firstPageSize);
  // Segment -> the Limit of its request in flight (or of its page not yet yielded).
  const pending = new Map<number, number>();
  let itemsYielded = 0;
  let index = 0;
  let requestsSent = 0;

  const send = ({ segment, key: exclusiveStartKey, limit }: QueuedSegment) => {
    const input: ScanCommandInput = {
      TableName: plan.table,
      Limit: plan.maxItems === undefined ? limit : Math.min(limit, plan.maxItems - itemsYielded),
    };
    if (exclusiveStartKey !== undefined) input.ExclusiveStartKey = exclusiveStartKey;
    if (plan.segments > 1) {
      input.Segment = segment;
      input.TotalSegments = plan.segments;
    }
    if (plan.consistentRead !== undefined) input.ConsistentRead = plan.consistentRead;
    pending.set(segment, limit);
    requestsSent++;
    const request = client.send(new ScanCommand(input), { abortSignal: requests.signal }).then(
      (output) => {
        settled.push({ segment, ok: true, output });
      },
      (error: unknown) => {
        settled.push({ segment, ok: false, error });
      },
    );
    const tracked = request.finally(() => {
      inFlight.delete(tracked);
      wake();
    });
    inFlight.add(tracked);
  };

  try {
    for (;;) {
      throwIfAborted(signal);
      // Segments whose last page has been yielded get their next request now, never earlier:
      // a consumer that stops reading stops the requests too.
      while (pending.size < MAX_REQUESTS_IN_FLIGHT && requestsSent < plan.maxRequests) {
        const waiting = idle.shift();
        if (waiting === undefined) break;
        send(waiting);
      }
      if (pending.size === 0) return;
      while (settled.length === 0 && !signal?.aborted) {
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
      throwIfAborted(signal);
      const next = settled.shift();
      if (next === undefined) continue;
      const limit = pending.get(next.segment) ?? plan.pageSize;
      pending.delete(next.segment);
      if (!next.ok) throw next.error;

      const items = (next.output.Items ?? []) as T[];
      const lastKey = toKey(next.output.LastEvaluatedKey);
      itemsYielded += items.length;
      const budgetSpent = plan.maxItems !== undefined && itemsYielded >= plan.maxItems;
      if (lastKey !== undefined && !budgetSpent) idle.push(next.segment, lastKey, Math.min(plan.pageSize, limit * 2));
      yield { items, lastKey, segment: next.segment, index: index++ };
    }
  } finally {
    signal?.removeEventListener("abort", onCallerAbort);
    if (inFlight.size > 0) {
      requests.abort(new DOMException("scanPages stopped before these requests finished", "AbortError"));
      // Wait so that no request of this scan outlives the generator; aborted ones settle at once.
      await Promise.allSettled(inFlight);
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

function toKey(lastEvaluatedKey: Record<string, unknown> | undefined): Key | undefined {
  if (lastEvaluatedKey === undefined) return undefined;
  const checked = checkKey(lastEvaluatedKey);
  // Only reachable with a client configured with wrapNumbers (NumberValue instead of number).
  if ("problem" in checked)
    throw new TypeError(`scanPages: DynamoDB returned a LastEvaluatedKey whose ${checked.problem}.`);
  return checked.key;
}

/** A segment waiting for its next request: where it continues and the Limit it asks for. */
interface QueuedSegment {
  segment: number;
  key: Key | undefined;
  limit: number;
}

/** FIFO of segments waiting for a request; O(1) per operation even with a million segments. */
class SegmentQueue {
  #entries: QueuedSegment[] = [];
  #head = 0;

  push(segment: number, key: Key | undefined, limit: number): void {
    this.#entries.push({ segment, key, limit });
  }

  shift(): QueuedSegment | undefined {
    const entry = this.#entries[this.#head];
    if (entry === undefined) return undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }
}
