import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

/** Sends the target exactly as written: clients such as fetch would normalise `..` away. */
function rawGet(url: string, target: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: target, agent: false }, (res) => {
      let body = "";
      res
        .setEncoding("utf8")
        .on("data", (chunk) => (body += chunk))
        .on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("static assets", () => {
  const logs = logCollector();
  let root: string;
  let server: FunctionUrlServer;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "lambda-url-assets-"));
    const assets = path.join(root, "assets");
    mkdirSync(path.join(assets, "_next/static/chunks"), { recursive: true });
    mkdirSync(path.join(assets, "images"));
    writeFileSync(path.join(assets, "_next/static/chunks/app-123.js"), "console.log(1)");
    writeFileSync(path.join(assets, "favicon.ico"), Buffer.from([0, 0, 1, 0]));
    writeFileSync(path.join(assets, "images/logo.svg"), "<svg/>");
    writeFileSync(path.join(root, "secret.txt"), "SECRET");
    symlinkSync(path.join(root, "secret.txt"), path.join(assets, "leak.txt"));
    symlinkSync(path.join(assets, "images/logo.svg"), path.join(assets, "alias.svg"));
    server = await FunctionUrlServer.start({
      handler: fixture("streaming.plain"),
      assetsDir: assets,
      assetHeaders: { "X-Content-Type-Options": "nosniff", "strict-transport-security": "max-age=60" },
      log: logs.log,
    });
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("files are served with their type; /_next/static/ is immutable, others revalidate", async () => {
    const js = await request(`${server.url}/_next/static/chunks/app-123.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public,max-age=31536000,immutable");
    assert.equal(js.body.toString(), "console.log(1)");
    const svg = await request(`${server.url}/images/logo.svg?v=2`);
    assert.equal(svg.headers["content-type"], "image/svg+xml");
    assert.equal(svg.headers["cache-control"], "public,max-age=0,must-revalidate");
    const head = await request(`${server.url}/favicon.ico`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], "4");
    assert.equal(head.body.length, 0);
    const alias = await request(`${server.url}/alias.svg`);
    assert.equal(alias.body.toString(), "<svg/>", "a symlink inside the directory is fine");
    assert.equal(server.stats().invocations, 0);
  });

  test("assetHeaders are on every file answer (200, 304), as a response headers policy adds them; not on the function's", async () => {
    const js = await request(`${server.url}/_next/static/chunks/app-123.js`);
    assert.equal(js.headers["x-content-type-options"], "nosniff");
    assert.equal(js.headers["strict-transport-security"], "max-age=60");
    const again = await request(`${server.url}/_next/static/chunks/app-123.js`, {
      headers: { "if-none-match": String(js.headers.etag) },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers["x-content-type-options"], "nosniff");
    const fromFunction = await request(`${server.url}/missing.js`);
    assert.equal(fromFunction.headers["x-content-type-options"], undefined);
    await assert.rejects(
      FunctionUrlServer.start({ handler: fixture("streaming.plain"), assetHeaders: { "bad name": "x" } }),
      /bad asset header name "bad name"/,
    );
    await assert.rejects(
      FunctionUrlServer.start({ handler: fixture("streaming.plain"), assetHeaders: { "x-a": "1\r\nx-b: 2" } }),
      /asset header x-a has a control character/,
    );
  });

  test("paths not found, directories and other methods go to the function", async () => {
    for (const target of ["/missing.js", "/images", "/images/", "/"]) {
      const res = await request(`${server.url}${target}`);
      assert.equal(res.headers["content-type"], "text/csv", target);
    }
    const post = await request(`${server.url}/favicon.ico`, { method: "POST" });
    assert.equal(post.headers["content-type"], "text/csv");
  });

  test("nothing outside the directory is served", async () => {
    for (const target of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/images/%2E%2E/%2E%2E/secret.txt",
      "/images/..%2F..%2Fsecret.txt",
      "/favicon.ico%00.js",
    ]) {
      const res = await rawGet(server.url, target);
      assert.equal(res.status, 400, target);
      assert.ok(!res.body.includes("SECRET"), target);
    }
    const leak = await request(`${server.url}/leak.txt`);
    assert.ok(!leak.body.toString().includes("SECRET"), "a symlink pointing outside is not followed");
    assert.equal(leak.headers["content-type"], "text/csv");
  });
});
