// How `npm run perf:budget` reads a response of a chain. The rows are the app's own markup
// (bikeRowsHtml over generated bikes); the closing line is written as React writes CatalogSummary.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bikeRowCells } from "../components/catalog/BikeRows";
import { bikeRowsHtml } from "../components/catalog/ScanPageRows";
import { generateBike } from "../seed/bike-generator";
import { ChainError, type ChainStep, coverage, coverageProblems, readHtmlStep, readNdjsonStep } from "./budget-chain";

const bikes = Array.from({ length: 5 }, (_, index) => generateBike(index));
const ids = bikes.map((bike) => bike.id);

function page(rows: number, summary: string): string {
  return `<!DOCTYPE html><html><body><table><tbody data-scan-page="0">${bikeRowsHtml(bikes.slice(0, rows).map(bikeRowCells))}</tbody><tfoot><tr>${summary}</tr></tfoot></table><script nonce="n">self.__next_f.push([1,"[\\"${ids[0]}\\"]"])</script></body></html>`;
}

describe("readHtmlStep", () => {
  it("a page stopped by a budget: its rows in order, the count, the budget and the absolute next URL", () => {
    const html = page(
      3,
      '<td colSpan="10" id="catalog-summary" data-count="3" data-server-ms="41" data-stopped-by="bytes" data-complete="false">3 bikes in 41 ms of server time: this page stops at its size limit so that it stays quick to load. <a href="/bikes?pageSize=100&amp;cursor=eyJpZCI6ImJpa2UtMSJ9" rel="next" id="catalog-next">Next bikes →</a></td>',
    );
    assert.deepEqual(readHtmlStep(html, "http://127.0.0.1:3000/bikes?pageSize=100"), {
      ids: ids.slice(0, 3),
      count: 3,
      stoppedBy: "bytes",
      next: "http://127.0.0.1:3000/bikes?pageSize=100&cursor=eyJpZCI6ImJpa2UtMSJ9",
    });
  });

  it("the last page: no budget, no next URL", () => {
    const html = page(
      5,
      '<td colSpan="10" id="catalog-summary" data-count="5" data-server-ms="12" data-complete="true">5 bikes in 12 ms of server time.</td>',
    );
    assert.deepEqual(readHtmlStep(html, "http://127.0.0.1:3000/bikes"), {
      ids,
      count: 5,
      stoppedBy: undefined,
      next: undefined,
    });
  });

  it("a failure row or a page cut short is an error, not the end of the chain", () => {
    const failed = page(2, '<td colSpan="10" id="catalog-error">DynamoDB did not answer</td>');
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
