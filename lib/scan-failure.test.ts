import assert from "node:assert/strict";
import { before, describe, it, mock } from "node:test";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { startEmbeddedDynamoDB, startFaultProxy } from "@firstbyte/dynamo-local";
import { applyStatusOverride, createResponseStatusChannel, withResponseStatusChannel } from "./response-status";
import {
  answerUnavailable,
  describeScanFailure,
  RETRY_AFTER_SECONDS,
  readerRequestId,
  statusBeforeFirstByte,
} from "./scan-failure";

/**
 * The errors a real DynamoDBClient throws (one attempt, no retries) when the fault proxy answers its
 * Scan with each fault, and when the table does not exist: the SDK's own shapes, not hand-built ones.
 */
const real: Record<
  | "InternalServerError"
  | "ECONNRESET"
  | "ProvisionedThroughputExceededException"
  | "AccessDeniedException"
  | "ResourceNotFoundException",
  unknown
> = {} as never;

before(async () => {
  const dynamodb = await startEmbeddedDynamoDB();
  const proxy = await startFaultProxy({ target: dynamodb.endpoint });
  const client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const thrown = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail("the request should have failed"),
      (error: unknown) => error,
    );
  try {
    real.ResourceNotFoundException = await thrown(client.send(new ScanCommand({ TableName: "Missing" })));
    for (const [name, kind] of [
      ["InternalServerError", "http500"],
      ["ECONNRESET", "reset"],
      ["ProvisionedThroughputExceededException", "throttle"],
      ["AccessDeniedException", "denied"],
    ] as const) {
      await proxy.setFaults([{ operation: "Scan", fault: { kind } }]);
      real[name] = await thrown(client.send(new ScanCommand({ TableName: "Missing" })));
    }
  } finally {
    client.destroy();
    await proxy.close();
    await dynamodb.close();
  }
});

describe("describeScanFailure", () => {
  it("names throttling, unavailability and anything else, never echoing the error's message", () => {
    assert.deepEqual(
      [
        describeScanFailure(real.ProvisionedThroughputExceededException),
        describeScanFailure(real.InternalServerError),
        describeScanFailure(real.ECONNRESET),
        describeScanFailure(real.ResourceNotFoundException),
        describeScanFailure(real.AccessDeniedException),
        describeScanFailure("a string"),
      ].map(({ code, errorName }) => [code, errorName]),
      [
        ["dynamodb_throttled", "ProvisionedThroughputExceededException"],
        ["dynamodb_unavailable", "InternalServerError"],
        ["dynamodb_unavailable", "TimeoutError"],
        ["scan_failed", "ResourceNotFoundException"],
        ["scan_failed", "AccessDeniedException"],
        ["scan_failed", "Error"],
      ],
    );
    // What the SDK throws for a reset connection: named TimeoutError, with Node's code.
    assert.equal(describeScanFailure(real.ECONNRESET).errorCode, "ECONNRESET");
    // Never the error's own message (the proxy's says where it came from).
    assert.doesNotMatch(describeScanFailure(real.AccessDeniedException).reason, /fault proxy/);
  });
});

describe("readerRequestId", () => {
  it("is the invocation's own id inside an invocation", () => {
    const channel = createResponseStatusChannel("8f5c2d1e-invocation");
    assert.equal(
      withResponseStatusChannel(channel, () => readerRequestId()),
      "8f5c2d1e-invocation",
    );
  });

  it("is a fresh id outside one, different each time", () => {
    const first = readerRequestId();
    assert.match(first, /^[0-9a-f-]{36}$/);
    assert.notEqual(readerRequestId(), first);
  });
});

describe("answerUnavailable", () => {
  let failure: ReturnType<typeof describeScanFailure>;
  before(() => {
    failure = describeScanFailure(real.InternalServerError);
  });

  /** The JSON lines the call writes to stderr. */
  function logged(call: () => boolean): { answer: boolean; lines: Record<string, unknown>[] } {
    const error = mock.method(console, "error", () => {});
    try {
      const answer = call();
      return { answer, lines: error.mock.calls.map((entry) => JSON.parse(String(entry.arguments[0]))) };
    } finally {
      error.mock.restore();
    }
  }

  it("asks for 503 with Retry-After and no-store, and logs the failed GetItem once", () => {
    const channel = createResponseStatusChannel();
    const { answer, lines } = logged(() =>
      withResponseStatusChannel(channel, () =>
        answerUnavailable({ route: "/bikes/[id]", operation: "GetItem", requestId: "r-1", failure }),
      ),
    );
    assert.equal(answer, true);
    assert.deepEqual(applyStatusOverride(channel, { statusCode: 200, headers: {} }), {
      statusCode: 503,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" },
    });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.event, "catalog_get_failed");
    assert.equal(lines[0]?.route, "/bikes/[id]");
    assert.equal(lines[0]?.code, "dynamodb_unavailable");
  });

  it("does not ask for a 503 when trying again cannot help (a denied action, a bug): the page rethrows, Next's 500", () => {
    for (const error of [real.AccessDeniedException, new TypeError("x is undefined")]) {
      const channel = createResponseStatusChannel();
      const { answer, lines } = logged(() =>
        withResponseStatusChannel(channel, () =>
          answerUnavailable({ route: "/bikes/buffered", requestId: "r-3", failure: describeScanFailure(error) }),
        ),
      );
      assert.equal(answer, false);
      assert.equal(channel.override, undefined);
      assert.equal(lines[0]?.code, "scan_failed");
    }
  });

  it("says the page must rethrow where nothing can set the status (next start, next dev), and still logs", () => {
    const { answer, lines } = logged(() => answerUnavailable({ route: "/bikes/buffered", requestId: "r-2", failure }));
    assert.equal(answer, false);
    assert.equal(lines[0]?.event, "catalog_scan_failed");
  });
});

describe("statusBeforeFirstByte", () => {
  it("503 with Retry-After for an unanswering or throttling DynamoDB, 500 without it for anything else", () => {
    assert.deepEqual(
      [
        real.InternalServerError,
        real.ECONNRESET,
        real.ProvisionedThroughputExceededException,
        real.ResourceNotFoundException,
      ].map((error) => {
        const { status, headers } = statusBeforeFirstByte(describeScanFailure(error));
        return [status, headers["retry-after"]];
      }),
      [
        [503, String(RETRY_AFTER_SECONDS)],
        [503, String(RETRY_AFTER_SECONDS)],
        [503, String(RETRY_AFTER_SECONDS)],
        [500, undefined],
      ],
    );
  });
});
