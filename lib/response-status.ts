// A status a page asks for, carried to the layer that writes the status line. Next 16's App Router
// lets a page choose only 404, 401 and 403 (notFound, unauthorized, forbidden) or a redirect, yet
// `/bikes/buffered` must answer 503 with Retry-After when DynamoDB fails before its first byte
// (decision 023). On Lambda our streaming wrapper writes the status line itself, so it runs each
// request inside a channel the page can write to; under `next start` and `next dev` there is none.
import { AsyncLocalStorage } from "node:async_hooks";

export interface StatusOverride {
  status: number;
  headers: Record<string, string>;
}

/** One request's channel: what the page asked for, and whether the status line is already out. */
export interface ResponseStatusChannel {
  override: StatusOverride | undefined;
  statusSent: boolean;
  /** The invocation's own id (Lambda's request id): the one a reader is shown, never a client header. */
  requestId: string | undefined;
  /**
   * Why the body, though it ends with a well-formed closing part, is not what the response promised
   * (a DynamoDB failure after the first byte). The wrapper then ends the stream abnormally so no
   * shared cache stores it (decision 027).
   */
  incomplete: string | undefined;
}

// The wrapper is bundled by OpenNext's esbuild and the page by Next's compiler, so each has its own
// copy of this module: the storage lives on the one global both share.
const STORAGE_KEY = Symbol.for("firstbyte.response-status-channel");

function storage(): AsyncLocalStorage<ResponseStatusChannel> {
  const shared = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<ResponseStatusChannel> };
  shared[STORAGE_KEY] ??= new AsyncLocalStorage();
  return shared[STORAGE_KEY];
}

export function createResponseStatusChannel(requestId?: string): ResponseStatusChannel {
  return { override: undefined, statusSent: false, requestId, incomplete: undefined };
}

/** Runs `handle` (one request) with `channel` open to it and everything it calls. */
export function withResponseStatusChannel<T>(channel: ResponseStatusChannel, handle: () => T): T {
  return storage().run(channel, handle);
}

/**
 * What became of a request: "accepted" (it will be the status sent), "status-already-sent" (the
 * response's status line is out, as it is for a client-side navigation's RSC payload, which Next
 * starts streaming before the page renders), "no-channel" (nothing can carry it: `next start`,
 * `next dev`).
 */
export type StatusRequestAnswer = "accepted" | "status-already-sent" | "no-channel";

/** Asks for `status` and `headers` in place of the 200 the page would get. */
export function requestResponseStatus(status: number, headers: Record<string, string> = {}): StatusRequestAnswer {
  const channel = storage().getStore();
  if (channel === undefined) return "no-channel";
  if (channel.statusSent) return "status-already-sent";
  channel.override = { status, headers };
  return "accepted";
}

/**
 * Says the body is incomplete: on Lambda the wrapper lets it end as written (the error row or line
 * reaches the reader) and then fails the invocation, so the stream ends without its terminating
 * chunk and CloudFront, which stores only complete responses, does not keep it (decision 027).
 * "no-channel" under `next start` / `next dev`, whose pages stay `no-store` anyway.
 */
export function markResponseIncomplete(reason: string): "accepted" | "no-channel" {
  return incompleteMarker()(reason);
}

/**
 * markResponseIncomplete bound to the current request's channel, for work that may run outside its
 * async context (a body stream's `pull`, called by whoever reads it).
 */
export function incompleteMarker(): (reason: string) => "accepted" | "no-channel" {
  const channel = storage().getStore();
  return (reason) => {
    if (channel === undefined) return "no-channel";
    channel.incomplete ??= reason;
    return "accepted";
  };
}

/**
 * The status line to send: the page's request replaces a 200 only. Any other status is Next's own
 * verdict (a 404, a redirect, a 500 from a render that crashed after the request) and stands.
 * Returns a copy of the headers, which the caller may change.
 */
export function applyStatusOverride(
  channel: ResponseStatusChannel,
  prelude: { statusCode: number; headers: Record<string, string> },
): { statusCode: number; headers: Record<string, string> } {
  channel.statusSent = true;
  const override = channel.override;
  const headers = { ...prelude.headers };
  if (override === undefined || prelude.statusCode !== 200) return { statusCode: prelude.statusCode, headers };
  for (const name of Object.keys(override.headers)) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  }
  return { statusCode: override.status, headers: { ...headers, ...override.headers } };
}

/** The id of the invocation this request runs in; undefined outside one (`next start`, `next dev`). */
export function invocationRequestId(): string | undefined {
  return storage().getStore()?.requestId;
}
