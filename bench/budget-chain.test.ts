// How `npm run perf:budget` reads a response of a chain. The rows are the app's own markup
// (bikeRowsHtml over generated bikes); the closing line is the app's CatalogSummary rendered by
// React's server renderer, so a change to its markup is a change here too.
import assert from "node:assert/strict";
import { register } from "node:module";
import { describe, it } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { bikeRowCells } from "../components/catalog/BikeRows";
import type { CatalogSummaryProps } from "../components/catalog/CatalogSummary";
import { bikeRowsHtml } from "../components/catalog/ScanPageRows";
import { generateBike } from "../seed/bike-generator";
import { ChainError, type ChainStep, coverage, coverageProblems, readHtmlStep, readNdjsonStep } from "./budget-chain";

// CatalogSummary is a server component: its module graph imports "server-only", which throws outside
// Next's server bundle. Here, where nothing reaches a browser, that marker resolves to an empty module.
const SERVER_ONLY_AS_EMPTY = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(SERVER_ONLY_AS_EMPTY)}`);
const { CatalogSummary } = await import("../components/catalog/CatalogSummary");

const bikes = Array.from({ length: 5 }, (_, index) => generateBike(index));
const ids = bikes.map((bike) => bike.id);

function page(rows: number, summary: string): string {
  return `<!DOCTYPE html><html><body><table><tbody data-scan-page="0">${bikeRowsHtml(bikes.slice(0, rows).map(bikeRowCells))}</tbody>${summary}</table><script nonce="n">self.__next_f.push([1,"[\\"${ids[0]}\\"]"])</script></body></html>`;
}

/** The app's closing line, as the server renders it. */
function summary(props: CatalogSummaryProps): string {
  return renderToStaticMarkup(createElement(CatalogSummary, props));
}

describe("readHtmlStep", () => {
  it("a page stopped by a budget: its rows in order, the count, the budget and the absolute next URL", () => {
    const html = page(
      3,
      summary({
        read: { bikesRead: 3, resumeKey: { id: ids[2]! }, stoppedBy: "bytes" },
        serverMs: 41,
        search: new URLSearchParams("pageSize=100"),
      }),
    );
    const step = readHtmlStep(html, "http://127.0.0.1:3000/bikes?pageSize=100");
    assert.deepEqual(
      { ...step, next: undefined },
      { ids: ids.slice(0, 3), count: 3, stoppedBy: "bytes", next: undefined },
    );
    // The next URL is absolute, keeps the page's parameters and adds the cursor the summary links to.
    const next = new URL(step.next ?? "");
    assert.equal(`${next.origin}${next.pathname}`, "http://127.0.0.1:3000/bikes");
    assert.equal(next.searchParams.get("pageSize"), "100");
    assert.ok(next.searchParams.get("cursor"), "the next URL carries a cursor");
  });

  it("the last page: no budget, no next URL", () => {
    const html = page(
      5,
      summary({
        read: { bikesRead: 5, resumeKey: undefined, stoppedBy: undefined },
        serverMs: 12,
        search: new URLSearchParams(),
      }),
    );
    assert.deepEqual(readHtmlStep(html, "http://127.0.0.1:3000/bikes"), {
      ids,
      count: 5,
      stoppedBy: undefined,
      next: undefined,
    });
  });

  it("a failure row or a page cut short is an error, not the end of the chain", () => {
    const failed = page(2, '<tfoot><tr><td colSpan="10" id="catalog-error">DynamoDB did not answer</td></tr></tfoot>');
    assert.throws(() => readHtmlStep(failed, "http://h/bikes"), ChainError);
    assert.throws(() => readHtmlStep(page(2, ""), "http://h/bikes"), /no closing line/);
  });
});

describe("readNdjsonStep", () => {
  const line = (from: number, to: number, cursor?: string) =>
    JSON.stringify({ page: from, segment: 0, count: to - from, items: bikes.slice(from, to), cursor });

  it("a response stopped by a budget goes on with its final line's cursor, other parameters kept", () => {
    const body = `${line(0, 2, "c1")}\n${line(2, 4, "c2")}\n${JSON.stringify({ stopped: "budget", budget: "bytes", message: "…", count: 4, cursor: "c2" })}\n`;
    assert.deepEqual(readNdjsonStep(body, "http://h/api/bikes?pageSize=2&cursor=c0"), {
      ids: ids.slice(0, 4),
      count: 4,
      stoppedBy: "bytes",
      next: "http://h/api/bikes?pageSize=2&cursor=c2",
    });
  });

  it("a response that reaches the end of the table has no next URL, even when a page carries a cursor", () => {
    assert.deepEqual(readNdjsonStep(`${line(0, 2, "c1")}\n${line(2, 5)}\n`, "http://h/api/bikes"), {
      ids,
      count: undefined,
      stoppedBy: undefined,
      next: undefined,
    });
  });

  it("an error line, or a stop with no cursor, is an error", () => {
    const error = `${line(0, 2, "c1")}\n${JSON.stringify({ error: "dynamodb_unavailable", message: "DynamoDB did not answer", count: 2, cursor: "c1" })}\n`;
    assert.throws(() => readNdjsonStep(error, "http://h/api/bikes"), /dynamodb_unavailable/);
    const restart = `${JSON.stringify({ stopped: "budget", budget: "scanRequests", count: 2, restart: true })}\n`;
    assert.throws(() => readNdjsonStep(restart, "http://h/api/bikes?segments=4"), /no cursor/);
  });
});

describe("coverage", () => {
  const step = (stepIds: string[]): ChainStep => ({
    ids: stepIds,
    count: undefined,
    stoppedBy: undefined,
    next: undefined,
  });

  it("every id once, across responses: no problem", () => {
    const result = coverage([step(ids.slice(0, 2)), step(ids.slice(2))], ids);
    assert.deepEqual(result, { read: 5, repeated: [], missing: [], unexpected: [] });
    assert.deepEqual(coverageProblems(result), []);
  });

  it("a bike read twice, one skipped and one the seed did not write are each named", () => {
    const result = coverage([step([ids[0]!, ids[1]!]), step([ids[1]!, ids[2]!, ids[3]!, "bike-x"])], ids);
    assert.deepEqual(result, { read: 6, repeated: [ids[1]], missing: [ids[4]], unexpected: ["bike-x"] });
    assert.deepEqual(coverageProblems(result), [
      `1 bikes read twice or more (${ids[1]})`,
      `1 bikes never read (${ids[4]})`,
      "1 bikes read that the seed did not write (bike-x)",
    ]);
  });
});
