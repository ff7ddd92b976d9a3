// `npm run load` refuses, before starting anything, what would make it leave the machine or run
// unbounded. The load itself needs a running stack; it is run by hand (docs/performance.md).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = join(import.meta.dirname, "..");

function load(...args: string[]) {
  const result = spawnSync(join(root, "node_modules/.bin/tsx"), [join(root, "bench/load.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("npm run load: arguments", () => {
  for (const [args, message] of [
    [["--url", "https://example.com"], /--url must be an http:\/\/ address on this machine/],
    [["--url", "http://10.0.0.1:3000"], /--url must be an http:\/\/ address on this machine/],
    [["--url", "not a url"], /--url is not a URL/],
    [["--connections", "0"], /--connections must be a whole number from 1 to 200/],
    [["--duration", "600"], /--duration must be a whole number from 1 to 120/],
    [["--connections", "50", "--max-requests", "10"], /--max-requests must be a whole number from 50/],
    [["--path", "bikes"], /--path must start with \//],
  ] as const) {
    it(`${args.join(" ")}: exit 2 with one line that says what is wrong`, () => {
      const { status, stderr } = load(...args);
      assert.equal(status, 2);
      assert.match(stderr.split("\n")[0] ?? "", message);
    });
  }
});
