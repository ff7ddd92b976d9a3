import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { HELP, parseArguments, parseInvokeArguments } from "../src/cli.ts";
import { FunctionUrlConfigError } from "../src/index.ts";
import { fixture, request } from "./helpers.ts";

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "../bin/lambda-url.mjs");

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe("lambda-url CLI", () => {
  test("parses every flag", () => {
    const options = parseArguments([
      "--handler",
      "dir/index.handler",
      "--port",
      "3001",
      "--host",
      "127.0.0.1",
      "--invoke-mode",
      "buffered",
      "--bandwidth",
      "off",
      "--timeout",
      "12",
      "--memory",
      "512",
      "--concurrency",
      "3",
      "--assets",
      "public",
      "--env",
      "A=1",
      "--env=B=x=y",
      "--strip-content-encoding",
      "--runtime",
      "nodejs22.x",
    ]);
    assert.deepEqual(options, {
      handler: "dir/index.handler",
      port: 3001,
      host: "127.0.0.1",
      invokeMode: "BUFFERED",
      bandwidth: "off",
      timeoutSeconds: 12,
      memoryMb: 512,
      concurrency: 3,
      assetsDir: "public",
      stripContentEncoding: true,
      runtime: "nodejs22.x",
      env: { A: "1", B: "x=y" },
    });
    assert.throws(() => parseArguments(["--handler"]), FunctionUrlConfigError);
    assert.throws(() => parseArguments(["--handler", "a.b", "--bogus"]), /unknown argument "--bogus"/);
  });

  test("takes a handler file as its first argument, with Lambda's usual export name", () => {
    assert.deepEqual(parseArguments(["./fn/handler.mjs", "--port", "3000"]), {
      handler: "./fn/handler.handler",
      port: 3000,
      env: {},
    });
    assert.equal(parseArguments(["index.js"]).handler, "index.handler");
    assert.throws(() => parseArguments(["handler.ts"]), /"handler\.ts" is not a \.js, \.mjs or \.cjs file/);
    assert.throws(() => parseArguments(["a.mjs", "--handler", "b.handler"]), /give the handler once/);
  });

  test("leaves options not given unset, so the library's defaults apply", () => {
    assert.deepEqual(parseArguments(["--handler=dir/index.handler"]), { handler: "dir/index.handler", env: {} });
  });

  test("rejects each kind of bad argument with its own message", () => {
    const cases: Array<[string[], string]> = [
      [[], "--handler is required"],
      [["--handler"], "--handler needs a value"],
      [["--handler", "--port", "3000"], "--handler needs a value"],
      [["--handler", "a.b", "--bogus=1"], 'unknown argument "--bogus=1"'],
      [["--handler", "a.b", "extra"], 'unknown argument "extra"'],
      [["--handler", "a.b", "--strip-content-encoding=yes"], "--strip-content-encoding takes no value"],
      [["--handler", "a.b", "--port", "http"], '--port needs a number, got "http"'],
      [["--handler", "a.b", "--memory", " "], '--memory needs a number, got " "'],
      [["--handler", "a.b", "--invoke-mode", "sync"], '--invoke-mode must be RESPONSE_STREAM or BUFFERED, got "SYNC"'],
      [["--handler", "a.b", "--bandwidth", "fast"], '--bandwidth must be aws or off, got "fast"'],
      [["--handler", "a.b", "--env", "=x"], '--env needs KEY=VALUE, got "=x"'],
      [
        ["--handler", "a.b", "--runtime", "node22"],
        '--runtime must be nodejs20.x or nodejs22.x or nodejs24.x, got "node22"',
      ],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseArguments(argv),
        (error: Error) => error instanceof FunctionUrlConfigError && error.message === message,
        `${argv.join(" ")} → ${message}`,
      );
    }
    // A negative number is a value, checked (and refused) where every option is checked.
    assert.equal(parseArguments(["--handler", "a.b", "--port", "-1"]).port, -1);
  });

  test("bad arguments: one error line, the usage, exit 2", async () => {
    const run1 = run(["--handler", fixture("missing.handler")]);
    assert.equal(await run1.exited, 2);
    const [first, ...rest] = run1.output().stderr.trim().split("\n");
    assert.match(first ?? "", /^lambda-url: handler ".*missing\.handler": no file /);
    assert.match(rest.join("\n"), /^usage: lambda-url --handler/);
    assert.ok(!run1.output().stderr.includes("    at "), "no stack trace");

    const run2 = run(["--handler", fixture("streaming.plain"), "--timeout", "soon"]);
    assert.equal(await run2.exited, 2);
    assert.match(run2.output().stderr, /^lambda-url: --timeout needs a number, got "soon"/);
  });

  test("serves, logs one line per invocation, exits 0 on SIGTERM", async () => {
    const cli = run(["--handler", fixture("streaming.plain"), "--port", "0"]);
    try {
      let url: string | undefined;
      // Start-up spawns a runtime process: allow for a loaded machine.
      for (let i = 0; i < 600 && !url && cli.child.exitCode === null; i++) {
        url = /http:\/\/127\.0\.0\.1:\d+/.exec(cli.output().stdout)?.[0];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(url, `no URL printed: ${JSON.stringify(cli.output())}`);
      const res = await request(`${url}/csv`);
      assert.equal(res.body.toString(), "a,b\n1,2\n");
      cli.child.kill("SIGTERM");
      assert.equal(await cli.exited, 0);
      assert.match(cli.output().stdout, /[0-9a-f-]{36} GET \/csv 200 8B \d+ms cold/);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
    }
  });

  test("--help documents --runtime and invoke", async () => {
    assert.match(HELP, /--runtime R +run the function on the Node major of Lambda runtime R/);
    const help = run(["--help"]);
    assert.equal(await help.exited, 0);
    assert.match(help.output().stdout, /--runtime nodejs20\.x\|nodejs22\.x\|nodejs24\.x/);
    assert.match(help.output().stdout, /lambda-url invoke/);
  });

  test("invoke: parses its arguments and refuses what it cannot do", () => {
    assert.deepEqual(parseInvokeArguments(["--handler", "d/i.h", "--payload", '{"a":1}', "--runtime", "nodejs22.x"]), {
      target: { server: { handler: "d/i.h", runtime: "nodejs22.x", env: {} } },
      payload: '{"a":1}',
      functionName: "function",
      buffered: false,
      tail: false,
    });
    assert.deepEqual(parseInvokeArguments(["--url", "http://127.0.0.1:3000/", "--buffered", "--tail"]), {
      target: { url: "http://127.0.0.1:3000" },
      payload: "{}",
      functionName: "function",
      buffered: true,
      tail: true,
    });
    const cases: Array<[string[], RegExp]> = [
      [[], /^invoke needs --handler or --url \(one of them\)$/],
      [["--handler", "a.b", "--url", "http://127.0.0.1:1"], /^invoke needs --handler or --url/],
      [["--handler", "a.b", "--payload", "{"], /^--payload is not JSON: /],
      [["--url", "http://127.0.0.1:1", "--runtime", "nodejs22.x"], /^--runtime applies to --handler/],
      [["--url", "localhost:3000"], /^--url must look like http:\/\/127\.0\.0\.1:PORT/],
      [["--handler", "a.b", "--port", "1"], /^unknown argument "--port"$/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseInvokeArguments(argv),
        (error: Error) => error instanceof FunctionUrlConfigError && message.test(error.message),
        argv.join(" "),
      );
    }
  });

  test("invoke prints each chunk as it arrives, and exits 1 with the error when the function fails", async () => {
    let openGate!: () => void;
    const gateOpened = new Promise<void>((resolve) => (openGate = resolve));
    const gate = http.createServer((_req, res) => void gateOpened.then(() => res.end("open")));
    await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
    const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`;
    try {
      const payload = JSON.stringify({ words: ["one", "two"], gate: gateUrl });
      const cli = run(["invoke", "--handler", fixture("invoke.paced"), "--payload", payload]);
      let printedBeforeEnd = "";
      // The handler cannot end before the gate opens: what is on stdout by then arrived as written.
      for (let i = 0; i < 600 && !printedBeforeEnd && cli.child.exitCode === null; i++) {
        if (cli.output().stdout === "one|two|") printedBeforeEnd = cli.output().stdout;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      openGate();
      assert.equal(await cli.exited, 0, cli.output().stderr);
      assert.equal(printedBeforeEnd, "one|two|");
      assert.equal(cli.output().stdout, "one|two|");
    } finally {
      openGate();
      gate.close();
    }

    const failing = run(["invoke", "--handler", fixture("invoke.throwsAfterWriting")]);
    assert.equal(await failing.exited, 1);
    assert.equal(failing.output().stdout, "partial|");
    assert.match(failing.output().stderr, /lambda-url invoke: the function failed: RangeError: broke after writing/);
  });
});
