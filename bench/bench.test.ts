import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = join(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

describe("npm run bench's entry", () => {
  it("starts nothing when imported", () => {
    // Were main() to run, it would read `--runs 0` and exit 2 with the usage.
    const code = `import(${JSON.stringify(join(root, "bench", "bench.ts"))}).then(() => console.log("imported"));`;
    const result = spawnSync(tsx, ["-e", code, "not-a-file", "--runs", "0"], { cwd: root, encoding: "utf8" });
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "imported\n");
    assert.equal(result.status, 0);
  });

  it("runs as the program: --help prints the usage, a bad flag exits 2 with one line and the usage", () => {
    const help = spawnSync(tsx, [join(root, "bench", "bench.ts"), "--help"], { cwd: root, encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: npm run bench -- /);
    const bad = spawnSync(tsx, [join(root, "bench", "bench.ts"), "--sizes", "9,3"], { cwd: root, encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^bench: --sizes must be whole numbers ≥ 1 in increasing order\nusage: /);
  });
});
