// The wrapper under AWS's runtime interface client behind the local Function URL, with OpenNext's own
// OpenNextNodeResponse writing the body: a body that fails after the headers must reach the client
// as a cut-off transfer, never as a clean end (and a body that ends must still end cleanly); a status
// a page asks for before its first byte replaces the 200 (lib/response-status.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { FunctionUrlServer } from "@firstbyte/lambda-url";
import { build } from "esbuild";

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The chunked body ended with its terminating chunk. */
  complete: boolean;
}

function get(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let body = "";
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete });
      };
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", finish);
      res.on("aborted", finish);
      res.on("close", finish);
    });
    req.on("error", reject);
  });
}

describe("a body that fails after the headers (OpenNextNodeResponse destroyed with an error)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "streaming-wrapper-"));
  const lines: string[] = [];
  let server: FunctionUrlServer;

  before(async () => {
    // OpenNext bundles the wrapper with esbuild too (its dist imports paths without extensions).
    await build({
      entryPoints: [path.join(import.meta.dirname, "fixtures", "opennext-body.ts")],
      outfile: path.join(dir, "index.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
    });
    server = await FunctionUrlServer.start({
      handler: path.join(dir, "index.handler"),
      invokeMode: "RESPONSE_STREAM",
      bandwidth: "off",
      timeoutSeconds: 10,
      log: (line) => lines.push(line),
    });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The emulator's line for the request: cut off by the invocation's error, not by the timeout. */
  function assertFailedWithBodyError(requestPath: string): void {
    const line = lines.find((candidate) => candidate.includes(` GET ${requestPath} `));
    assert.match(
      line ?? "",
      /200 .*truncated: ResponseBodyFailedError: .*DynamoDB stopped answering/,
      lines.join("\n"),
    );
  }

  test("a body that ends: 200, every write, a clean end", async () => {
    const res = await get(`${server.url}/ok`);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/csv; charset=utf-8");
    assert.equal(res.body, "id,name\r\n1,first\r\n2,second\r\n");
    assert.equal(res.complete, true);
  });

  test("a body that fails: the bytes written so far, then no terminating chunk", async () => {
    const res = await get(`${server.url}/fail`);
    assert.equal(res.status, 200);
    assert.equal(res.body, "id,name\r\n1,first\r\n");
    assert.equal(res.complete, false);
    assertFailedWithBodyError("/fail");
  });

  test("the same through the br encoder (a text body when the client accepts br)", async () => {
    const res = await get(`${server.url}/br/fail`, { "accept-encoding": "br" });
    assert.equal(res.headers["content-encoding"], "br");
    assert.equal(res.complete, false);
    assertFailedWithBodyError("/br/fail");
  });

  test("a binary body that fails is cut off too", async () => {
    const res = await get(`${server.url}/binary/fail`);
    assert.equal(res.headers["content-type"], "application/gzip");
    assert.equal(res.body, "id,name\r\n1,first\r\n");
    assert.equal(res.complete, false);
    assertFailedWithBodyError("/binary/fail");
  });

  test("a 503 asked for before the first write is the status sent, with its headers", async () => {
    const res = await get(`${server.url}/unavailable`);
    assert.equal(res.status, 503);
    assert.equal(res.headers["retry-after"], "5");
    assert.equal(res.headers["content-type"], "text/csv; charset=utf-8");
    assert.equal(res.body, "id,name\r\n1,first\r\n2,second\r\n");
    assert.equal(res.complete, true);
    // The next invocation has its own channel: nothing of that 503 is left in it.
    const next = await get(`${server.url}/ok`);
    assert.equal(next.status, 200);
    assert.equal(next.headers["retry-after"], undefined);
  });

  test("a 503 asked for after the first write is refused: the 200 stands", async () => {
    const late = await get(`${server.url}/late`);
    assert.equal(late.status, 200);
    assert.equal(late.headers["retry-after"], undefined);
    assert.match(late.body, /late 503: status-already-sent/);
  });

  test("a body marked incomplete ends as written, then without its terminating chunk", async () => {
    const res = await get(`${server.url}/incomplete`);
    assert.equal(res.status, 200);
    // Every byte the page wrote reaches the reader, the error line included; only the end is missing.
    assert.equal(res.body, "id,name\r\n1,first\r\nerror: accepted\r\n2,second\r\n");
    assert.equal(res.complete, false);
    const line = lines.find((candidate) => candidate.includes(" GET /incomplete "));
    assert.match(
      line ?? "",
      /200 .*truncated: ResponseBodyFailedError: .*incomplete \(scan_unavailable\)/,
      lines.join("\n"),
    );
  });

  test("the function keeps serving after a failed body", async () => {
    const res = await get(`${server.url}/ok`);
    assert.equal(res.complete, true);
    assert.equal(res.body, "id,name\r\n1,first\r\n2,second\r\n");
  });
});
