// The local edge against a small chunked origin: what decision 029 says nginx does for us, checked on
// the nginx this machine runs (found, or Debian's package unpacked into .cache/edge).
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type EdgeCache, edgeConfig, ensureNginx, startEdgeCache } from "./edge-cache";
import { freePort, ROOT } from "./stack";

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  complete: boolean;
}

function get(url: string): Promise<Received> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = "";
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, complete: res.complete });
        };
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", finish);
        res.on("aborted", finish);
        res.on("close", finish);
      })
      .on("error", reject);
  });
}

describe("the local edge cache (nginx)", () => {
  /** Origin requests per path. */
  const hits = new Map<string, number>();
  /** Held until released: lets a test start several requests while the origin has not answered. */
  let releaseSlow: () => void = () => {};
  let origin: http.Server;
  let edge: EdgeCache;

  before(async () => {
    origin = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://origin");
      hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
      const n = hits.get(url.pathname);
      res.writeHead(200, {
        "content-type": "text/plain",
        "cache-control": url.searchParams.get("cc") ?? "public, max-age=0, s-maxage=60",
      });
      res.write(`first ${n}\n`);
      const finish = () => {
        if (url.pathname === "/cut") {
          // An error row, then the connection closes without the last chunk.
          res.write("error row\n");
          setTimeout(() => res.socket?.destroy(), 20);
        } else res.end(`last ${n}\n`);
      };
      if (url.pathname === "/slow") releaseSlow = finish;
      else setTimeout(finish, 20);
    });
    await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    const port = await freePort();
    const nginx = await ensureNginx(path.join(ROOT, ".cache", "edge"), (line) => console.log(line));
    edge = await startEdgeCache(nginx, {
      port,
      origin: originUrl,
      dir: path.join(ROOT, ".cache", `edge-test-${port}`),
    });
  });
  after(async () => {
    await edge?.close();
    origin?.close();
  });

  test("a whole response is stored: the second reader is a hit, the origin asked once", async () => {
    const first = await get(`${edge.url}/whole`);
    assert.equal(first.headers["x-cache"], "Miss from edge");
    assert.equal(first.body, "first 1\nlast 1\n");
    const second = await get(`${edge.url}/whole`);
    assert.equal(second.headers["x-cache"], "Hit from edge");
    assert.equal(second.body, first.body);
    assert.equal(hits.get("/whole"), 1);
  });

  test("a body cut off is passed on as it came and not stored", async () => {
    const first = await get(`${edge.url}/cut`);
    assert.equal(first.body, "first 1\nerror row\n");
    assert.equal(first.complete, false);
    const second = await get(`${edge.url}/cut`);
    assert.equal(second.headers["x-cache"], "Miss from edge");
    assert.equal(second.body, "first 2\nerror row\n");
  });

  test("no-store and private are never stored; the query string is part of the key", async () => {
    for (const cc of ["no-store", "private, no-cache, no-store, max-age=0, must-revalidate"]) {
      const url = `${edge.url}/private?cc=${encodeURIComponent(cc)}`;
      await get(url);
      assert.equal((await get(url)).headers["x-cache"], "Miss from edge", cc);
    }
    await get(`${edge.url}/keyed?a=1`);
    assert.equal((await get(`${edge.url}/keyed?a=2`)).headers["x-cache"], "Miss from edge");
    assert.equal((await get(`${edge.url}/keyed?a=1`)).headers["x-cache"], "Hit from edge");
  });

  test("concurrent misses of one key make one origin request", async () => {
    const readers = Array.from({ length: 5 }, () => get(`${edge.url}/slow`));
    // The first request has reached the origin and the others wait on nginx's cache lock.
    while ((hits.get("/slow") ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseSlow();
    const answers = await Promise.all(readers);
    assert.equal(hits.get("/slow"), 1);
    for (const answer of answers) assert.equal(answer.body, "first 1\nlast 1\n");
  });

  test("after s-maxage, stale-while-revalidate serves the stored copy and refreshes it once", async () => {
    const url = `${edge.url}/swr?cc=${encodeURIComponent("public, max-age=0, s-maxage=1, stale-while-revalidate=30")}`;
    await get(url);
    // nginx counts lifetimes in whole seconds: hits until the second is over, then the stale copy.
    let stale = await get(url);
    while (stale.headers["x-edge-cache-status"] === "HIT") {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stale = await get(url);
    }
    assert.equal(stale.headers["x-edge-cache-status"], "STALE");
    assert.equal(stale.headers["x-cache"], "Hit from edge");
    assert.equal(stale.body, "first 1\nlast 1\n");
    while ((hits.get("/swr") ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    let fresh = await get(url);
    // The background refresh may still be being stored (UPDATING) for an instant.
    while (fresh.headers["x-edge-cache-status"] === "UPDATING") fresh = await get(url);
    assert.equal(fresh.body, "first 2\nlast 2\n");
  });

  test("the configuration keys on path and query and stores nothing without Cache-Control", () => {
    const config = edgeConfig({ port: 1, origin: "http://127.0.0.1:2", dir: "/tmp/x" });
    assert.match(config, /proxy_cache_key \$request_uri;/);
    assert.match(config, /proxy_cache_lock on;/);
    assert.doesNotMatch(config, /proxy_cache_valid/);
  });
});
