import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { FunctionUrlConfigError, FunctionUrlServer, NODE_RUNTIMES, type NodeRuntime } from "../src/index.ts";
import { resolveRuntimeNode } from "../src/runtime.ts";
import { fixture, logCollector, request } from "./helpers.ts";

const currentMajor = process.versions.node.split(".")[0];

async function reportFrom(server: FunctionUrlServer) {
  const res = await request(server.url);
  assert.equal(res.status, 200, res.body.toString());
  return JSON.parse(res.body.toString()) as { version: string; pathNode: string; executionEnv: string };
}

describe("runtime", () => {
  const servers: FunctionUrlServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));

  test("nodejs22.x runs the function on Node 22, whatever Node runs the emulator", async () => {
    const logs = logCollector();
    const server = await FunctionUrlServer.start({
      handler: fixture("runtime.handler"),
      runtime: "nodejs22.x",
      log: logs.log,
    });
    servers.push(server);
    assert.equal(server.runtime.mismatch, undefined, logs.lines.join("\n"));
    assert.equal(server.runtime.version.split(".")[0], "22");
    const report = await reportFrom(server);
    // The runtime interface client answered through its native addon on that Node.
    assert.equal(report.version, `v${server.runtime.version}`);
    assert.equal(report.pathNode, report.version);
    assert.equal(report.executionEnv, "AWS_Lambda_nodejs22.x");
  });

  test("without a runtime the function runs on the emulator's own Node", async () => {
    const server = await FunctionUrlServer.start({ handler: fixture("runtime.handler"), log: () => {} });
    servers.push(server);
    const report = await reportFrom(server);
    assert.equal(report.version, process.version);
    assert.equal(report.executionEnv, `AWS_Lambda_nodejs${currentMajor}.x`);
  });

  test("a runtime Lambda does not offer is refused before anything starts", async () => {
    await assert.rejects(
      FunctionUrlServer.start({ handler: fixture("runtime.handler"), runtime: "nodejs18.x" as NodeRuntime }),
      (error: Error) => error instanceof FunctionUrlConfigError && /nodejs22\.x/.test(error.message),
    );
  });

  test("a Node that cannot be installed is reported in one line, and the current Node runs instead", async () => {
    const other = (Object.keys(NODE_RUNTIMES) as NodeRuntime[]).find(
      (runtime) => NODE_RUNTIMES[runtime].split(".")[0] !== currentMajor,
    );
    assert.ok(other);
    const cache = await mkdtemp(path.join(os.tmpdir(), "lambda-url-cache-"));
    const saved = { PATH: process.env.PATH, LAMBDA_URL_CACHE: process.env.LAMBDA_URL_CACHE };
    // No npm on PATH: the install cannot happen.
    process.env.PATH = path.join(cache, "nothing-here");
    process.env.LAMBDA_URL_CACHE = cache;
    try {
      const logs = logCollector();
      const node = await resolveRuntimeNode(other, logs.log);
      assert.equal(node.execPath, process.execPath);
      assert.equal(node.version, process.versions.node);
      assert.match(
        node.mismatch ?? "",
        new RegExp(
          `^${other.replace(".", "\\.")} runs Node \\d+, but .+ could not be installed \\(.+\\); the function runs on this Node ${process.versions.node}$`,
        ),
      );
      assert.doesNotMatch(node.mismatch ?? "", /\n/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.LAMBDA_URL_CACHE === undefined) delete process.env.LAMBDA_URL_CACHE;
      else process.env.LAMBDA_URL_CACHE = saved.LAMBDA_URL_CACHE;
      await rm(cache, { recursive: true, force: true });
    }
  });
});
