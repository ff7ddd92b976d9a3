import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli.ts";
import { type FlushServer, sleep, startFlushServer } from "./flush-server.ts";

const BIN = fileURLToPath(new URL("../bin/ttfb.mjs", import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A guard against a CLI that never exits, not a speed limit: starting Node with tsx's loader took up
 * to 7 s on a loaded 2-core machine, and a 20 s guard then killed healthy runs.
 */
const CLI_GUARD_MS = 180_000;

function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: CLI_GUARD_MS }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let server: FlushServer;
before(async () => {
  server = await startFlushServer();
  server.route("/page", async (_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.write("<p>shell</p>");
    await sleep(30);
    res.end("<tr data-row-id=1>");
  });
  server.route("/page/buffered", async (_req, res) => {
    await sleep(30);
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<p>shell</p><tr data-row-id=1>");
  });
  server.route("/missing", (_req, res) => {
    res.writeHead(404).end("gone");
  });
  server.route("/hang", () => undefined);
});
after(() => server.close());

describe("main() argument errors", () => {
  const cases: Array<[string[], RegExp]> = [
    [["http://127.0.0.1:1/", "--runs"], /--runs needs a value/],
    [["http://127.0.0.1:1/", "--runs", "2.5"], /--runs expects a positive integer/],
    [["http://127.0.0.1:1/", "--timeout", "-1"], /--timeout needs a value|--timeout expects/],
    [["http://127.0.0.1:1/", "--marker", "no-equals-sign"], /--marker expects NAME=TEXT/],
    [["http://127.0.0.1:1/", "--marker", "a=x", "--marker", "a=y"], /--marker a given more than once/],
    [["http://127.0.0.1:1/", "--header", "no colon"], /--header expects K:V/],
    [["http://127.0.0.1:1/", "--json=yes"], /--json takes no value/],
    [["ftp://127.0.0.1/"], /must be an http:\/\/ or https:\/\/ URL/],
    [["http://127.0.0.1:1/", "--vs", "not a url"], /--vs is not a valid URL/],
    [["http://127.0.0.1:1/", "http://127.0.0.1:2/"], /expected one URL, got 2/],
    [["http://127.0.0.1:1/", "--runs", "1", "--runs=2"], /^ttfb: --runs given more than once$/],
    [["http://127.0.0.1:1/", "--frobnicate"], /^ttfb: unknown option --frobnicate$/],
    [["http://127.0.0.1:1/", "-x"], /^ttfb: unknown option -x$/],
    [[], /^ttfb: missing URL$/],
  ];
  for (const [args, message] of cases) {
    test(`ttfb ${args.join(" ")}`, async () => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const code = await main(args, { stdout, stderr });
      assert.equal(code, 2);
      const errorText = String(stderr.read() ?? "");
      const [firstLine] = errorText.split("\n");
      assert.match(firstLine ?? "", message);
      assert.match(errorText, /usage: ttfb URL/);
      assert.equal(stdout.read(), null);
    });
  }
});

describe("ttfb CLI", { concurrency: true }, () => {
  test("--json prints every run's timeline", async () => {
    const { code, stdout, stderr } = await runCli([
      server.url("/page"),
      "--runs",
      "2",
      "--marker",
      "row=data-row-id=",
      "--json",
    ]);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.runs.length, 2);
    for (const run of report.runs) {
      assert.equal(run.status, 200);
      assert.ok(run.chunks.length >= 1);
      assert.equal(typeof run.markers.row, "number");
      // ≤, not <: under load both writes can land in one read; strict order is tested with gates in measure.test.ts.
      assert.ok(run.ttfbMs <= run.markers.row);
    }
    assert.equal(report.summary.ttfbMs.n, 2);
    assert.match(stderr, /run 1\/2/);
    assert.match(stderr, /run 2\/2/);
  });

  test("--vs --json holds both sides, the pair order and the ratios", async () => {
    const { code, stdout, stderr } = await runCli([
      server.url("/page"),
      "--vs",
      server.url("/page/buffered"),
      "--runs=2",
      "--marker",
      "row=data-row-id=",
      "--json",
    ]);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.a.runs.length, 2);
    assert.equal(report.b.runs.length, 2);
    assert.deepEqual(report.order, ["a-first", "b-first"]);
    assert.equal(report.ratios.ttfb.length, 2);
    assert.equal(report.ratios.markers.row.length, 2);
  });

  test("human output: one row per metric, and B/A with --vs", async () => {
    const single = await runCli([server.url("/page"), "--runs", "1", "--marker", "row=data-row-id="]);
    assert.equal(single.code, 0, single.stderr);
    for (const label of ["connect", "ttfb", "marker row", "total", "bytes (wire)", "chunks"]) {
      assert.match(single.stdout, new RegExp(`^${label.replace(/[()]/g, "\\$&")}\\s`, "m"));
    }
    const versus = await runCli([server.url("/page"), "--vs", server.url("/page/buffered"), "--runs", "2"]);
    assert.equal(versus.code, 0, versus.stderr);
    assert.match(versus.stdout, /B\/A/);
    assert.match(versus.stdout, /^ttfb\s+\S+ ms.*\S+ ms.*\d+\.\d\d \(/m);
  });

  test("bad arguments exit 2 with a one-line error and the usage", async () => {
    const cases = [[], [server.url("/page"), "--runs", "0"], [server.url("/page"), "--frobnicate"]];
    const results = await Promise.all(cases.map((args) => runCli(args)));
    results.forEach((result, i) => {
      assert.equal(result.code, 2, `args ${JSON.stringify(cases[i])}: ${result.stderr}`);
      assert.match(result.stderr, /^ttfb: .+\n\nusage: ttfb URL/);
      assert.equal(result.stdout, "");
    });
  });

  test("--help and -h print the usage and exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout } = await runCli([flag]);
      assert.equal(code, 0, flag);
      assert.match(stdout, /^usage: ttfb URL/);
    }
  });

  test("connection refused and timeouts exit 1 with a clear message", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const [refused, timedOut] = await Promise.all([
      runCli([`http://127.0.0.1:${port}/`, "--runs", "1"]),
      runCli([server.url("/hang"), "--runs", "1", "--timeout", "300"]),
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ttfb: request to .* failed: .*ECONNREFUSED/m);
    assert.equal(timedOut.code, 1);
    assert.match(timedOut.stderr, /^ttfb: .*timed out after 300 ms/m);
    assert.doesNotMatch(refused.stderr + timedOut.stderr, /\n\s+at /, "no stack trace");
  });

  test("a non-2xx answer is reported with a note, exit 0", async () => {
    const { code, stdout, stderr } = await runCli([server.url("/missing"), "--runs", "1"]);
    assert.equal(code, 0);
    assert.match(stdout, /status 404/);
    assert.match(stderr, /note: .* 404 \(not 2xx\)/);
  });
});
