import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { proxyChunksWithAwsSdk } from "./build-lambda";

describe("build-lambda bundle check", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  // The shape Next 16 (Turbopack) writes: middleware.js loads its chunks by name, then the module.
  const bundleWith = async (chunks: Record<string, string>) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "build-lambda-test-"));
    dirs.push(dir);
    await mkdir(path.join(dir, ".next", "server", "chunks"), { recursive: true });
    const loads = Object.keys(chunks).map((name) => `R.c("server/chunks/${name}")`);
    await writeFile(
      path.join(dir, ".next", "server", "middleware.js"),
      ['var R=require("./chunks/[turbopack]_runtime.js")("server/middleware.js")', ...loads, "R.m(1)"].join("\n"),
    );
    for (const [name, text] of Object.entries(chunks))
      await writeFile(path.join(dir, ".next", "server", "chunks", name), text);
    return dir;
  };

  it("names the proxy's chunks that carry AWS SDK code, and only those", async () => {
    const dir = await bundleWith({
      "[root-of-the-server]__a._.js": 'module.exports = "proxy"',
      "node_modules_b._.js": '"[project]/node_modules/@aws-sdk/client-dynamodb/dist-es/index.js"',
    });
    assert.deepEqual(proxyChunksWithAwsSdk(dir), ["chunks/node_modules_b._.js"]);
  });

  it("finds none in a proxy without the SDK, or in a bundle without a proxy", async () => {
    assert.deepEqual(proxyChunksWithAwsSdk(await bundleWith({ "a._.js": "x" })), []);
    assert.deepEqual(proxyChunksWithAwsSdk(os.tmpdir()), []);
  });
});
