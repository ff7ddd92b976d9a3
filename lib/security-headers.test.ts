import assert from "node:assert/strict";
import { test } from "node:test";
import { createNonce, pageContentSecurityPolicy, withSecurityHeaders } from "./security-headers";

test("the page CSP allows scripts only with the nonce, forbids framing; nonces differ", () => {
  const nonce = createNonce();
  assert.notEqual(nonce, createNonce());
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  const csp = pageContentSecurityPolicy(nonce);
  assert.match(csp, new RegExp(`script-src 'self' 'nonce-${nonce.replace(/[+/]/g, "\\$&")}' 'strict-dynamic';`));
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(pageContentSecurityPolicy(nonce, { dev: true }), /'unsafe-eval'/);
});

test("a page /compare frames allows same-origin framing only, in the CSP and in x-frame-options", () => {
  const csp = pageContentSecurityPolicy(createNonce(), { framing: "same-origin" });
  assert.match(csp, /frame-ancestors 'self'(;|$)/);
  assert.doesNotMatch(csp, /frame-ancestors 'none'/);
  const response = withSecurityHeaders(new Response("x"), csp, "same-origin");
  assert.equal(response.headers.get("x-frame-options"), "SAMEORIGIN");
  assert.equal(response.headers.get("content-security-policy"), csp);
});

test("withSecurityHeaders adds what is missing and keeps what a response set itself", () => {
  const response = withSecurityHeaders(
    new Response("x", { headers: { "referrer-policy": "origin" } }),
    "default-src 'none'",
  );
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  assert.equal(response.headers.get("referrer-policy"), "origin");
  assert.equal(response.headers.get("content-security-policy"), "default-src 'none'");
});
