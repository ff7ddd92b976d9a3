import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseArguments } from "../src/cli.ts";
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
      env: { A: "1", B: "x=y" },
    });
    assert.throws(() => parseArguments(["--handler"]), FunctionUrlConfigError);
    assert.throws(() => parseArguments(["--handler", "a.b", "--bogus"]), /unknown argument "--bogus"/);
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
      // Start-up includes tsx compiling the sources: allow for a loaded machine.
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
});
