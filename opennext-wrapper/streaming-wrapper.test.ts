import assert from "node:assert/strict";
import { test } from "node:test";
import { answerBeforeHandler } from "./early-answer.ts";
import { chooseResponseEncoding, compressionPolicyFromEnv } from "./encoding.ts";
import { StreamingWrapperConfigError } from "./errors.ts";

const html = {
  method: "GET",
  statusCode: 200,
  contentType: "text/html; charset=utf-8",
  contentEncoding: undefined,
  policy: "negotiate" as const,
};

test("identity when the client asks for nothing (CloudFront strips accept-encoding)", () => {
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: undefined }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "deflate" }), "identity");
});

test("br before gzip, and q=0 refuses a coding", () => {
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "gzip, deflate, br, zstd" }), "br");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "gzip" }), "gzip");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "br;q=0, gzip;q=0.5" }), "gzip");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "BR;Q=0.1" }), "br");
  assert.equal(chooseResponseEncoding({ ...html, acceptEncoding: "br;q=0, gzip;q=0" }), "identity");
});

test("never compresses HEAD, bodiless statuses, binary types, or an encoded body; off means off", () => {
  assert.equal(chooseResponseEncoding({ ...html, method: "HEAD", acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, statusCode: 204, acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, statusCode: 304, acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, contentType: "image/png", acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, contentType: undefined, acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, contentEncoding: "gzip", acceptEncoding: "br" }), "identity");
  assert.equal(chooseResponseEncoding({ ...html, policy: "off", acceptEncoding: "br" }), "identity");
});

test("compresses text, JSON, NDJSON and RSC payloads", () => {
  for (const contentType of [
    "application/json",
    "application/x-ndjson; charset=utf-8",
    "text/x-component",
    "image/svg+xml",
    "application/manifest+json",
  ]) {
    assert.equal(chooseResponseEncoding({ ...html, contentType, acceptEncoding: "br" }), "br", contentType);
  }
});

test("STREAM_COMPRESSION: negotiate by default, off, anything else is a typed error", () => {
  assert.equal(compressionPolicyFromEnv({}), "negotiate");
  assert.equal(compressionPolicyFromEnv({ STREAM_COMPRESSION: "off" }), "off");
  assert.throws(() => compressionPolicyFromEnv({ STREAM_COMPRESSION: "brotli" }), StreamingWrapperConfigError);
});

test("TRACE, TRACK and CONNECT are a 405 with Allow; a URL that does not parse (Host `[::1`) a 400", () => {
  for (const method of ["TRACE", "TRACK", "CONNECT", "trace"]) {
    const answer = answerBeforeHandler({ method, url: "https://example.com/bikes" });
    assert.equal(answer?.statusCode, 405, method);
    assert.equal(answer?.headers.allow, "GET, HEAD");
  }
  for (const url of ["https://[::1/bikes", "https://a b/bikes", "https://[::1]:x/"]) {
    const answer = answerBeforeHandler({ method: "GET", url });
    assert.equal(answer?.statusCode, 400, url);
    assert.equal(answer?.headers["x-content-type-options"], "nosniff");
    assert.match(answer?.headers["content-security-policy"] ?? "", /frame-ancestors 'none'/);
  }
});

test("everything else is OpenNext's to answer, bad percent-encodings and other methods included", () => {
  for (const [method, url] of [
    ["GET", "https://example.com/bikes"],
    ["HEAD", "https://[::1]:3000/"],
    ["POST", "https://example.com/bikes"],
    ["GET", "https://example.com/bikes/%ff%fe"],
  ] as const)
    assert.equal(answerBeforeHandler({ method, url }), undefined, `${method} ${url}`);
});
