import assert from "node:assert/strict";
import { test } from "node:test";
import { csvField, csvRecord } from "./csv";

test("a plain field is written as it is", () => {
  assert.equal(csvField("Alder Aero 3"), "Alder Aero 3");
  assert.equal(csvField(1249.99), "1249.99");
  assert.equal(csvField(0), "0");
  assert.equal(csvField(-12.5), "-12.5");
});

test("null and undefined are empty fields", () => {
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvRecord([null, "a", undefined]), ",a,\r\n");
});

test("a comma, a double quote, CR or LF makes the field quoted (RFC 4180 §2.6)", () => {
  assert.equal(csvField("Harrow, Vale"), '"Harrow, Vale"');
  assert.equal(csvField("line one\nline two"), '"line one\nline two"');
  assert.equal(csvField("cr\rhere"), '"cr\rhere"');
  assert.equal(csvField("crlf\r\nhere"), '"crlf\r\nhere"');
});

test("a double quote inside is doubled (RFC 4180 §2.7)", () => {
  assert.equal(csvField('the "Aero"'), '"the ""Aero"""');
  assert.equal(csvField('"'), '""""');
});

test("other characters are not quoted: spaces, semicolons, tabs, non-ASCII", () => {
  assert.equal(csvField(" leading space"), " leading space");
  assert.equal(csvField("a;b\tc"), "a;b\tc");
  assert.equal(csvField("Škoda — 自転車 🚲"), "Škoda — 自転車 🚲");
});

test("a record joins fields with commas and ends with CRLF (RFC 4180 §2.1)", () => {
  assert.equal(csvRecord(["id", "brand"]), "id,brand\r\n");
  assert.equal(csvRecord(["a,b", 'c"d', "e"]), '"a,b","c""d",e\r\n');
  assert.equal(csvRecord([]), "\r\n");
});

test("text that a spreadsheet would run as a formula starts with a single quote", () => {
  assert.equal(csvField("=1+1"), "'=1+1");
  assert.equal(csvField("+1"), "'+1");
  assert.equal(csvField("-1"), "'-1");
  assert.equal(csvField("@SUM(1)"), "'@SUM(1)");
  assert.equal(csvField("\t=1"), "'\t=1");
  assert.equal(csvField("\r=1"), '"\'\r=1"');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField("a=b"), "a=b");
});
