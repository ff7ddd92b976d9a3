import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeScanFailure, requestIdFrom } from "./scan-failure";

/** An error shaped as the AWS SDK throws it. */
function sdkError(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error("raw message with internals"), {
    name,
    ...(code ? { code } : {}),
    $metadata: { httpStatusCode: status, attempts: 3 },
  });
}

describe("describeScanFailure", () => {
  it("names throttling, unavailability and anything else, never echoing the error's message", () => {
    assert.deepEqual(
      [
        describeScanFailure(sdkError("ProvisionedThroughputExceededException", 400)),
        describeScanFailure(sdkError("InternalServerError", 500)),
        describeScanFailure(sdkError("TimeoutError", undefined, "ECONNRESET")),
        describeScanFailure(sdkError("ResourceNotFoundException", 400)),
        describeScanFailure("a string"),
      ].map(({ code, errorName }) => [code, errorName]),
      [
        ["dynamodb_throttled", "ProvisionedThroughputExceededException"],
        ["dynamodb_unavailable", "InternalServerError"],
        ["dynamodb_unavailable", "TimeoutError"],
        ["scan_failed", "ResourceNotFoundException"],
        ["scan_failed", "Error"],
      ],
    );
    // What the SDK throws for a reset connection: named TimeoutError, with Node's code.
    assert.equal(describeScanFailure(sdkError("TimeoutError", undefined, "ECONNRESET")).errorCode, "ECONNRESET");
    assert.doesNotMatch(describeScanFailure(sdkError("InternalServerError", 500)).reason, /internals/);
  });
});

describe("requestIdFrom", () => {
  it("prefers the trace id AWS adds to Function URL requests", () => {
    assert.equal(requestIdFrom(new Headers({ "x-amzn-trace-id": "Root=1-abc" })), "Root=1-abc");
    assert.match(requestIdFrom(new Headers()), /^[0-9a-f-]{36}$/);
  });
});
