// The export downloads, /api/bikes/export.csv and /api/bikes/export.csv.gz: the whole catalog as it
// streams (header first, every bike once, a clean end), gzip as a file and not as a Content-Encoding,
// 400 for what the export does not take, and a DynamoDB failure mid-export that cuts the transfer off
// rather than ending a partial file cleanly (through the fault proxy; local stack only).
import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";
import type { Fault } from "@firstbyte/dynamo-local";
import type { Download as BrowserDownload, Page } from "@playwright/test";
import { EXPECTED_BIKES, expect, SMALL_CATALOG, targetUrl, test } from "./fixtures";

const HEADER = "id,brand,model,type,frameSize,wheelSize,colour,year,price,weightKg,stock,description,incomplete";

interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body chunks as the socket delivered them. */
  chunks: Buffer[];
  body: Buffer;
  /** The chunked body ended with its terminating chunk (what `curl -N` checks before exiting 0). */
  complete: boolean;
}

/** One GET on a fresh connection, as `curl -N` makes it: no accept-encoding, every chunk as it comes. */
function download(path: string): Promise<Download> {
  const url = new URL(path, targetUrl());
  const get = url.protocol === "https:" ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          chunks,
          body: Buffer.concat(chunks),
          complete: res.complete,
        });
      };
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", finish);
      res.on("aborted", finish);
      res.on("error", finish);
      res.on("close", finish);
    });
    req.on("error", reject);
  });
}

/** RFC 4180 records: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  expect(quoted, "the CSV ends outside a quoted field").toBe(false);
  expect(`${field}${record.join("")}`, "the CSV ends with CRLF").toBe("");
  return records;
}

/** The dated file name, allowing for a download that straddles midnight UTC. */
function expectAttachment(disposition: string | undefined, extension: string, startedAt: Date): void {
  const names = [startedAt, new Date()].map((date) => `bikes-${date.toISOString().slice(0, 10)}.${extension}`);
  expect(disposition).toMatch(/^attachment; filename="bikes-\d{4}-\d{2}-\d{2}\.[a-z.]+"$/);
  expect(names.map((name) => `attachment; filename="${name}"`)).toContain(disposition);
}

/** Clicks a link to `path` in the page, as a reader would, and returns the download it starts. */
async function clickDownload(page: Page, path: string): Promise<BrowserDownload> {
  const [saved] = await Promise.all([
    page.waitForEvent("download"),
    page.evaluate((href) => {
      const link = document.createElement("a");
      link.href = href;
      document.body.append(link);
      link.click();
    }, path),
  ]);
  return saved;
}

test("export.csv streams a header row and every bike once, as RFC 4180 CSV in UTF-8, and ends cleanly", async () => {
  const startedAt = new Date();
  const csv = await download("/api/bikes/export.csv");
  expect(csv.status).toBe(200);
  expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8; header=present");
  expectAttachment(csv.headers["content-disposition"], "csv", startedAt);
  expect(csv.headers["content-encoding"]).toBeUndefined();
  expect(csv.headers["content-length"], "streamed, so no length up front").toBeUndefined();
  expect(csv.complete).toBe(true);

  const text = new TextDecoder("utf-8", { fatal: true }).decode(csv.body);
  expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
  const [header, ...rows] = parseCsv(text);
  expect(header?.join(",")).toBe(HEADER);
  expect(rows).toHaveLength(EXPECTED_BIKES);
  for (const row of rows) expect(row).toHaveLength(13);
  // Every seeded bike is whole: the last column, which names a malformed item's bad fields, is empty.
  expect(rows.filter((row) => row[12] !== "")).toEqual([]);
  expect(new Set(rows.map((row) => row[0])).size).toBe(EXPECTED_BIKES);
  // A field with a comma or a double quote (wheel sizes such as 29") came through quoting intact.
  expect(rows.some((row) => row[5]?.includes('"'))).toBe(true);
  expect(text).toContain('""');
});

test("export.csv.gz is application/gzip (a file, not a Content-Encoding) and decompresses to the same bytes", async () => {
  const startedAt = new Date();
  const [csv, gz] = [await download("/api/bikes/export.csv"), await download("/api/bikes/export.csv.gz")];
  expect(gz.status).toBe(200);
  expect(gz.headers["content-type"]).toBe("application/gzip");
  expect(gz.headers["content-encoding"]).toBeUndefined();
  expectAttachment(gz.headers["content-disposition"], "csv.gz", startedAt);
  expect(gz.complete).toBe(true);
  expect(gz.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  expect(gz.body.length).toBeLessThan(csv.body.length / 3);
  expect(gunzipSync(gz.body).equals(csv.body)).toBe(true);
});

test("a browser saves export.csv under its dated name, whole", async ({ page }) => {
  await page.goto("/");
  const saved = await clickDownload(page, "/api/bikes/export.csv");
  expect(await saved.failure()).toBeNull();
  expect(saved.suggestedFilename()).toMatch(/^bikes-\d{4}-\d{2}-\d{2}\.csv$/);
  const stream = await saved.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const rows = Buffer.concat(chunks).toString("utf8").split("\r\n");
  expect(rows[0]).toBe(HEADER);
  expect(rows.at(-1)).toBe("");
  expect(rows).toHaveLength(EXPECTED_BIKES + 2);
});

test("what the export does not take is a 400 in JSON naming it: another format, no format, any query parameter", async () => {
  for (const [path, param] of [
    ["/api/bikes/export.xml", "format"],
    ["/api/bikes/export.json", "format"],
    ["/api/bikes/export", "format"],
    ["/api/bikes/export.csv?limit=10", "limit"],
    ["/api/bikes/export.csv.gz?pageSize=5", "pageSize"],
    ["/api/bikes/export.csv?", undefined],
  ] as const) {
    const response = await fetch(`${targetUrl()}${path}`);
    if (param === undefined) {
      // An empty query string is no parameter. Read to the end: a Function URL does not tell the
      // function that a client left, so a cancelled export would go on scanning into the next test.
      expect(response.status, path).toBe(200);
      await response.arrayBuffer();
      continue;
    }
    expect(response.status, path).toBe(400);
    expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string; errors: Array<{ param: string; message: string }> };
    expect(body.error).toBe("bad_request");
    expect(body.errors.map((error) => error.param)).toEqual([param]);
  }
});

// 2,000 bikes are two Scan pages of 1,000 (lib/catalog.ts EXPORT_PAGE_SIZE): the second one fails.
test("an export that outlasts its time budget is cut off after the pages it sent, never ended as whole (decision 028)", async ({
  faults,
}) => {
  test.skip(EXPECTED_BIKES <= 1000, "needs more than one Scan page of 1,000 bikes");
  // The second Scan page answers long after the function's time budget (BIKES_BUDGET_MS, 20 s by
  // default): the budget aborts that Scan request and the export ends without its terminating chunk.
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "latency", ms: 60_000 } }]);
  const csv = await download("/api/bikes/export.csv");
  expect(csv.status).toBe(200);
  expect(csv.complete).toBe(false);
  const lines = csv.body.toString("utf8").split("\r\n");
  expect(lines[0]).toBe(HEADER);
  expect(lines.length - 2).toBe(1000);
});

for (const [name, fault] of [
  ["HTTP 500", { kind: "http500" }],
  ["a reset connection", { kind: "reset" }],
] as const satisfies ReadonlyArray<readonly [string, Fault]>) {
  test(`${name} on the second Scan page: export.csv is cut off after the first 1,000 rows, with no clean end`, async ({
    faults,
  }) => {
    test.skip(EXPECTED_BIKES <= 1000, SMALL_CATALOG);
    await faults.setFaults([{ operation: "Scan", after: 1, fault }]);
    const csv = await download("/api/bikes/export.csv");
    expect(csv.status).toBe(200);
    expect(csv.complete, "the chunked body has no terminating chunk (curl exits 18)").toBe(false);
    const lines = csv.body.toString("utf8").split("\r\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines.length - 2).toBe(1000);
    expect((await faults.state()).counts.Scan?.faulted).toBeGreaterThan(0);
  });

  test(`${name} on the second Scan page: export.csv.gz is cut off and does not decompress as a whole file`, async ({
    faults,
  }) => {
    test.skip(EXPECTED_BIKES <= 1000, SMALL_CATALOG);
    await faults.setFaults([{ operation: "Scan", after: 1, fault }]);
    const gz = await download("/api/bikes/export.csv.gz");
    expect(gz.status).toBe(200);
    expect(gz.complete).toBe(false);
    expect(() => gunzipSync(gz.body)).toThrow(/unexpected end of file/);
  });
}

test("a DynamoDB failure before the first page is a 503 in JSON, not a download", async ({ faults }) => {
  await faults.setFaults([{ operation: "Scan", fault: { kind: "http500" } }]);
  const response = await download("/api/bikes/export.csv");
  expect(response.status).toBe(503);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  expect(response.headers["content-disposition"]).toBeUndefined();
  expect(JSON.parse(response.body.toString("utf8"))).toMatchObject({ error: "dynamodb_unavailable" });
  expect(response.complete).toBe(true);
});

test("in Chromium a download cut off by a DynamoDB failure is marked failed", async ({ page, faults }) => {
  test.skip(EXPECTED_BIKES <= 1000, SMALL_CATALOG);
  await page.goto("/");
  await faults.setFaults([{ operation: "Scan", after: 1, fault: { kind: "http500" } }]);
  const saved = await clickDownload(page, "/api/bikes/export.csv");
  expect(await saved.failure()).not.toBeNull();
});
