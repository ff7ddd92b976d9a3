import assert from "node:assert/strict";
import { test } from "node:test";
import {
  API_NOT_FOUND,
  httpErrorResponse,
  isDecodablePath,
  MALFORMED_PATH,
  METHOD_NOT_ALLOWED,
} from "./http-error-response";

test("a path decodes unless a % is not followed by two hex digits or the bytes are not UTF-8", () => {
  for (const path of ["/", "/bikes", "/bikes/bike-00001", "/bikes/caf%C3%A9", "/bikes/%25"])
    assert.equal(isDecodablePath(path), true, path);
  for (const path of ["/bikes/%", "/bikes/%E0%A4%A", "/bikes/%ff%fe", "/bikes/%zz", "/api/%C3"])
    assert.equal(isDecodablePath(path), false, path);
});

test("405 names the allowed methods; HTML for pages, JSON with a code for the API", async () => {
  const html = httpErrorResponse(METHOD_NOT_ALLOWED, "html");
  assert.equal(html.status, 405);
  assert.equal(html.headers.get("allow"), "GET, HEAD");
  assert.match(html.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await html.text(), /data-error="method_not_allowed"/);
  const json = httpErrorResponse(METHOD_NOT_ALLOWED, "json");
  assert.equal(json.headers.get("allow"), "GET, HEAD");
  assert.equal(((await json.json()) as { error: string }).error, "method_not_allowed");
  assert.equal(httpErrorResponse(MALFORMED_PATH, "json").status, 400);
  assert.equal(httpErrorResponse(API_NOT_FOUND, "json").headers.get("allow"), null);
});
