import assert from "node:assert/strict";
import { it } from "node:test";
import { escapeHtml } from "./escape-html";

it("escapes the five characters that end text or an attribute, ampersand first", () => {
  assert.equal(escapeHtml(`<a href="x?a=1&b='2'">`), "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
  assert.equal(escapeHtml("&lt;"), "&amp;lt;", "an entity in the text stays text");
  assert.equal(escapeHtml("plain text, 12 ms"), "plain text, 12 ms");
});
