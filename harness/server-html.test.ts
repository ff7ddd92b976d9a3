// The HTML readers over markup React itself writes (renderToStaticMarkup), so the escapes they undo
// are React's own, not a guess at them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { bikeRowCells } from "../components/catalog/BikeRows";
import { bikeRowsHtml } from "../components/catalog/ScanPageRows";
import { generateBike } from "../seed/bike-generator";
import { attributeOf, bikeRowIds, linkOf, openingTag, staticScriptSrc } from "./server-html";

const html = renderToStaticMarkup(
  createElement(
    "p",
    { "data-id": "catalog-next" },
    createElement("a", { "data-href": "/wrong", href: "/bikes?pageSize=100&cursor=abc", id: "catalog-next" }, "Next"),
    createElement("span", { id: "catalog-summary", "data-count": "3", title: `"Tom's" <bike> & co` }),
  ),
);

describe("server-html", () => {
  it("finds an element by its id attribute, not by another attribute that ends in id", () => {
    assert.match(openingTag(html, "catalog-next") ?? "", /^<a /);
    assert.equal(openingTag(html, "catalog-error"), undefined);
  });

  it("reads an attribute with React's escapes undone, and undefined when it is missing", () => {
    assert.equal(attributeOf(html, "catalog-summary", "data-count"), "3");
    assert.equal(attributeOf(html, "catalog-summary", "title"), `"Tom's" <bike> & co`);
    assert.equal(attributeOf(html, "catalog-summary", "data-stopped-by"), undefined);
    assert.equal(attributeOf(html, "catalog-error", "data-count"), undefined);
  });

  it("resolves a link against the page's URL", () => {
    assert.equal(
      linkOf(html, "catalog-next", "http://127.0.0.1:3000/bikes/buffered?pageSize=1"),
      "http://127.0.0.1:3000/bikes?pageSize=100&cursor=abc",
    );
    assert.equal(linkOf(html, "catalog-summary", "http://127.0.0.1:3000/bikes"), undefined);
  });

  it("reads bike row ids in document order, not the RSC payload's copies", () => {
    const bikes = [2, 0, 1].map((index) => generateBike(index));
    const page = `<table><tbody>${bikeRowsHtml(bikes.map(bikeRowCells))}</tbody></table><script>self.__next_f.push([1,"{\\"data-bike-id\\":\\"${bikes[0]?.id}\\"}"])</script>`;
    assert.deepEqual(
      bikeRowIds(page),
      bikes.map((bike) => bike.id),
    );
  });

  it("finds the first script from Next's hashed build files", () => {
    const page = '<script src="/other.js"></script><script src="/_next/static/chunks/main-1a2b.js" async=""></script>';
    assert.equal(staticScriptSrc(page), "/_next/static/chunks/main-1a2b.js");
    assert.equal(staticScriptSrc("<script>inline()</script>"), undefined);
  });
});
