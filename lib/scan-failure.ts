// What a reader, a program and the server log are told when DynamoDB fails after a response has
// started, or before its first byte. Pure except for the log line and the status request, so it is
// unit-tested directly.
import { invocationRequestId, requestResponseStatus } from "./response-status";

/** Machine-readable reason, sent in the NDJSON error line and on the HTML error row. */
export type ScanFailureCode = "dynamodb_unavailable" | "dynamodb_throttled" | "scan_failed";

export interface ScanFailure {
  code: ScanFailureCode;
  /** The error's name as the SDK gave it (`InternalServerError`, `ProvisionedThroughputExceededException`, …). */
  errorName: string;
  /** Node's socket error code when the connection broke (`ECONNRESET`: the SDK names those `TimeoutError`). */
  errorCode?: string;
  /** What failed, in words a reader understands; never the error's own message or stack. */
  reason: string;
}

// DynamoDB's throttling errors
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.MessagesAndCodes).
const THROTTLING = new Set(["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]);
// Node's socket errors: the connection to DynamoDB broke or never opened.
const NETWORK = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);

export function describeScanFailure(error: unknown): ScanFailure {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const code = typeof fields.code === "string" ? fields.code : undefined;
  const errorName = typeof fields.name === "string" && fields.name !== "Error" ? fields.name : (code ?? "Error");
  const named = { errorName, ...(code === undefined ? {} : { errorCode: code }) };
  if (THROTTLING.has(errorName)) {
    return {
      code: "dynamodb_throttled",
      ...named,
      reason: "The catalog's database is receiving more requests than it allows right now",
    };
  }
  const status = fields.$metadata?.httpStatusCode;
  if (
    (status !== undefined && status >= 500) ||
    (code !== undefined && NETWORK.has(code)) ||
    errorName === "TimeoutError"
  ) {
    return { code: "dynamodb_unavailable", ...named, reason: "The catalog's database stopped answering" };
  }
  return { code: "scan_failed", ...named, reason: "The catalog could not be read to the end" };
}

/**
 * Retry-After of a 503 sent before any byte (the buffered page, `?mode=buffered`, the export): the SDK
 * has already retried with backoff, so the failure is not a blip, yet it is worth another try soon.
 */
export const RETRY_AFTER_SECONDS = 5;

export interface FailureLogFields {
  route: string;
  /** The DynamoDB operation that failed; "Scan" when unset. */
  operation?: "Scan" | "GetItem";
  requestId: string;
  /** Scan pages sent to the client before the failure. */
  pagesServed: number;
  bikesServed: number;
  failure: ScanFailure;
}

/** One JSON line on stderr per failure (CloudWatch keeps it as one event); no stack, no item data. */
export function logScanFailure({
  route,
  operation = "Scan",
  requestId,
  pagesServed,
  bikesServed,
  failure,
}: FailureLogFields): void {
  console.error(
    JSON.stringify({
      level: "error",
      event: operation === "Scan" ? "catalog_scan_failed" : "catalog_get_failed",
      route,
      requestId,
      pagesServed,
      bikesServed,
      code: failure.code,
      errorName: failure.errorName,
      ...(failure.errorCode ? { errorCode: failure.errorCode } : {}),
    }),
  );
}

/**
 * The status of a response that failed before its first byte. 503 with Retry-After when DynamoDB did
 * not answer or refused for load, which trying again shortly can mend; 500 for anything else (a
 * denied action, a missing table, a bug), which would fail the same way again (decision 023).
 */
export function statusBeforeFirstByte(failure: ScanFailure): { status: 500 | 503; headers: Record<string, string> } {
  if (failure.code === "scan_failed") return { status: 500, headers: { "cache-control": "no-store" } };
  return { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" } };
}

/** For a route handler whose read failed before its first byte: what failed (logged once) and its status. */
export function failedBeforeFirstByte({
  route,
  requestId,
  error,
}: {
  route: string;
  requestId: string;
  error: unknown;
}) {
  const failure = describeScanFailure(error);
  logScanFailure({ route, requestId, pagesServed: 0, bikesServed: 0, failure });
  return { failure, ...statusBeforeFirstByte(failure) };
}

/**
 * For a page that sends nothing before its DynamoDB reads are done (decision 023): logs the failure
 * and, when trying again can help, asks for 503 with Retry-After. False when the page must rethrow,
 * so Next answers 500: the failure is not one to retry, or nothing can set the status (`next
 * start`, `next dev`) and a 200 would read as a success. True: the page renders its message, as a
 * 503 document or, for a client-side navigation, in an RSC payload whose 200 Next sent before the
 * page rendered.
 */
export function answerUnavailable(fields: {
  route: string;
  operation?: FailureLogFields["operation"];
  requestId: string;
  failure: ScanFailure;
}): boolean {
  logScanFailure({ ...fields, pagesServed: 0, bikesServed: 0 });
  const { status, headers } = statusBeforeFirstByte(fields.failure);
  if (status !== 503) return false;
  return requestResponseStatus(status, headers) !== "no-channel";
}

/**
 * The id a log line and the reader's error text share: the invocation's own (Lambda's request id,
 * which its response also carries as x-amzn-requestid), else a fresh one (`next start`, `next dev`).
 * Never a request header: a client could put its words on a page a shared cache keeps for others.
 */
export function readerRequestId(): string {
  return invocationRequestId() ?? crypto.randomUUID();
}
