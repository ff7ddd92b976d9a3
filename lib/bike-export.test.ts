import assert from "node:assert/strict";
import { test } from "node:test";
import { generateBike } from "../seed/bike-generator";
import {
  BIKE_CSV_COLUMNS,
  BIKE_CSV_HEADER,
  bikeCsvRecords,
  exportFileName,
  isExportPath,
  parseExportRequest,
} from "./bike-export";
import { checkBikeRecord } from "./bike-record";

test("the header names every field once, in order, then incomplete, ended by CRLF", () => {
  assert.equal(BIKE_CSV_HEADER, `${BIKE_CSV_COLUMNS.join(",")}\r\n`);
  assert.deepEqual([...Object.keys(generateBike(0)), "incomplete"].sort(), [...BIKE_CSV_COLUMNS].sort());
  assert.equal(BIKE_CSV_COLUMNS.at(-1), "incomplete");
});

test("a malformed item's record has empty cells for its bad fields and names them in the last column", () => {
  const bike = { ...generateBike(0), description: "plain" };
  const item = checkBikeRecord({ ...bike, price: "12", weightKg: undefined });
  assert.equal(
    bikeCsvRecords([item]),
    `${bike.id},${bike.brand},${bike.model},${bike.type},${bike.frameSize},${bike.wheelSize},${bike.colour},${bike.year},,,${bike.stock},plain,price weightKg\r\n`,
  );
});

test("text a spreadsheet would run as a formula gets a leading quote; numbers stay numbers", () => {
  const bike = {
    ...generateBike(0),
    brand: '=HYPERLINK("http://evil.example","click")',
    model: "@SUM(1+1)",
    colour: "+cmd|' /C calc'!A0",
    frameSize: "-2+3",
    wheelSize: "\t=1",
    description: "\r=1",
  };
  const cells = bikeCsvRecords([bike]).split(",");
  assert.equal(cells[1], `"'=HYPERLINK(""http://evil.example""`);
  assert.equal(cells[3], "'@SUM(1+1)");
  assert.ok(bikeCsvRecords([bike]).includes(`,'+cmd|' /C calc'!A0,`));
  assert.ok(bikeCsvRecords([bike]).includes(`,'-2+3,`));
  assert.ok(bikeCsvRecords([bike]).includes(`,'\t=1,`));
  assert.ok(bikeCsvRecords([bike]).includes(`,"'\r=1",`));
  assert.ok(bikeCsvRecords([{ ...generateBike(0), price: -5 }]).includes(",-5,"));
});

test("a bike's record has its fields in the header's order, quoted where RFC 4180 asks", () => {
  const bike = { ...generateBike(0), brand: "Harrow & Vale", wheelSize: '29"', description: "fast, light" };
  const record = bikeCsvRecords([bike]);
  assert.ok(record.endsWith("\r\n"));
  assert.equal(
    record,
    `${bike.id},Harrow & Vale,${bike.model},${bike.type},${bike.frameSize},"29""",${bike.colour},${bike.year},${bike.price},${bike.weightKg},${bike.stock},"fast, light",\r\n`,
  );
  assert.equal(bikeCsvRecords([]), "");
  assert.equal(bikeCsvRecords([generateBike(1), generateBike(2)]).split("\r\n").length, 3);
});

test("the export paths: csv and csv.gz; the bare path and other formats are export paths that get a 400", () => {
  assert.ok(isExportPath("/api/bikes/export.csv"));
  assert.ok(isExportPath("/api/bikes/export.xml"));
  assert.ok(isExportPath("/api/bikes/export"));
  assert.ok(!isExportPath("/api/bikes"));
  assert.ok(!isExportPath("/api/bikes/exports.csv"));
  assert.deepEqual(parseExportRequest("/api/bikes/export.csv", new URLSearchParams()), { ok: true, format: "csv" });
  assert.deepEqual(parseExportRequest("/api/bikes/export.csv.gz", new URLSearchParams()), {
    ok: true,
    format: "csv.gz",
  });
});

test("an unknown or missing format is named, with the formats that exist", () => {
  const xml = parseExportRequest("/api/bikes/export.xml", new URLSearchParams());
  assert.equal(xml.ok, false);
  assert.deepEqual(!xml.ok && xml.errors, [
    {
      param: "format",
      message: 'unknown export format "xml": use /api/bikes/export.csv or /api/bikes/export.csv.gz',
    },
  ]);
  const bare = parseExportRequest("/api/bikes/export", new URLSearchParams());
  assert.match(!bare.ok ? (bare.errors[0]?.message ?? "") : "", /^no export format given: use /);
  // Inherited object keys are not formats.
  assert.equal(parseExportRequest("/api/bikes/export.constructor", new URLSearchParams()).ok, false);
});

test("every query parameter is refused once, by name; the export takes none", () => {
  const parsed = parseExportRequest("/api/bikes/export.csv", new URLSearchParams("limit=10&limit=20&pageSize=5"));
  assert.equal(parsed.ok, false);
  assert.deepEqual(!parsed.ok && parsed.errors.map((error) => error.param), ["limit", "pageSize"]);
  const both = parseExportRequest("/api/bikes/export.json", new URLSearchParams("x=1"));
  assert.deepEqual(!both.ok && both.errors.map((error) => error.param), ["format", "x"]);
});

test("the file name carries the UTC date and the format's extension", () => {
  const now = new Date("2026-11-29T23:59:59.000Z");
  assert.equal(exportFileName("csv", now), "bikes-2026-11-29.csv");
  assert.equal(exportFileName("csv.gz", now), "bikes-2026-11-29.csv.gz");
});
