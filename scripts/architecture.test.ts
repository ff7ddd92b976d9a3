// The data flow of docs/architecture.md is enforced by Biome's noRestrictedImports (biome.json).
// These tests put a probe file where a wrong import would live and check that `npm run lint`'s
// linter rejects it, and that the allowed direction still passes, so a rule that silently stops
// matching (a glob that no longer fits, an override that shadows another) fails here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = join(import.meta.dirname, "..");

/** Lints a one-import probe placed in `folder`; returns the restricted-import diagnostics' count. */
function restrictedImports(folder: string, specifier: string, suffix = ".ts"): number {
  const file = join(root, folder, `lint-probe-${randomUUID().slice(0, 8)}${suffix}`);
  writeFileSync(file, `import * as probe from "${specifier}";\n\nexport const probed = probe;\n`);
  try {
    const result = spawnSync(join(root, "node_modules/.bin/biome"), ["lint", "--max-diagnostics=50", file], {
      cwd: root,
      encoding: "utf8",
    });
    const output = `${result.stdout}${result.stderr}`;
    assert.ok(!/No files were processed|ignored/i.test(output), `biome did not lint the probe: ${output}`);
    return output.match(/lint\/style\/noRestrictedImports/g)?.length ?? 0;
  } finally {
    rmSync(file, { force: true });
  }
}

describe("architecture rules (biome.json)", () => {
  it("packages import nothing from the app", () => {
    assert.equal(restrictedImports("packages/ttfb/src", "../../../components/catalog/format.ts"), 1);
    assert.equal(restrictedImports("packages/dynamo-pages/src", "@/lib/config"), 1);
    assert.equal(restrictedImports("packages/ttfb/src", "./measure.ts"), 0);
  });

  it("components read data only through lib/", () => {
    assert.equal(restrictedImports("components/catalog", "@firstbyte/dynamo-pages"), 1);
    assert.equal(restrictedImports("components/catalog", "@aws-sdk/lib-dynamodb"), 1);
    assert.equal(restrictedImports("components/catalog", "../../scripts/seed"), 1);
    assert.equal(restrictedImports("components/catalog", "../../harness/stack"), 1);
    assert.equal(restrictedImports("components/catalog", "@/seed/bike-generator"), 1);
    assert.equal(restrictedImports("components/catalog", "@/lib/catalog"), 0);
  });

  it("lib/ imports nothing from the tooling, components/ or app/; its tests may take demo bikes", () => {
    assert.equal(restrictedImports("lib", "../scripts/seed"), 1);
    assert.equal(restrictedImports("lib", "../harness/stack"), 1);
    assert.equal(restrictedImports("lib", "../bench/report"), 1);
    assert.equal(restrictedImports("lib", "../seed/bike-generator"), 1);
    assert.equal(restrictedImports("lib", "../seed/bike-generator", ".test.ts"), 0);
    assert.equal(restrictedImports("lib", "../harness/stack", ".test.ts"), 1);
    assert.equal(restrictedImports("lib", "@/components/catalog/format", ".test.ts"), 1);
    assert.equal(restrictedImports("lib", "@/components/catalog/format"), 1);
    assert.equal(restrictedImports("lib", "@/app/layout"), 1);
    assert.equal(restrictedImports("lib", "@firstbyte/dynamo-pages"), 0);
  });

  it("the Lambda wrapper takes from lib/ only", () => {
    assert.equal(restrictedImports("opennext-wrapper", "../components/catalog/format.tsx"), 1);
    assert.equal(restrictedImports("opennext-wrapper", "../scripts/seed.ts"), 1);
    assert.equal(restrictedImports("opennext-wrapper", "../harness/stack.ts"), 1);
    assert.equal(restrictedImports("opennext-wrapper", "../lib/response-status.ts"), 0);
  });

  it("app/ and proxy.ts import no tooling", () => {
    assert.equal(restrictedImports("app", "@/harness/stack"), 1);
    assert.equal(restrictedImports("app", "@/seed/table"), 1);
    assert.equal(restrictedImports("app", "@/lib/catalog"), 0);
  });

  it("seed/ builds on lib/ only; the harness takes seed/ but not the bench", () => {
    assert.equal(restrictedImports("seed", "../harness/stack"), 1);
    assert.equal(restrictedImports("seed", "../bench/run"), 1);
    assert.equal(restrictedImports("seed", "../lib/bike"), 0);
    assert.equal(restrictedImports("harness", "../bench/report"), 1);
    assert.equal(restrictedImports("harness", "../components/catalog/format"), 1);
    assert.equal(restrictedImports("harness", "../seed/table"), 0);
    assert.equal(restrictedImports("bench", "../harness/stack"), 0);
  });

  it("the app, the scripts and the e2e suite use a package only through its exports", () => {
    assert.equal(restrictedImports("lib", "@firstbyte/dynamo-pages/src/cursor.ts"), 1);
    assert.equal(restrictedImports("scripts", "../packages/ttfb/src/measure.ts"), 1);
    assert.equal(restrictedImports("e2e", "@firstbyte/dynamo-local/dist/fault-proxy.js"), 1);
    assert.equal(restrictedImports("opennext-wrapper", "../packages/lambda-url/dist/index.js"), 1);
    assert.equal(restrictedImports("scripts", "@firstbyte/ttfb"), 0);
    assert.equal(restrictedImports("e2e", "@firstbyte/ttfb/playwright"), 0);
  });

  it("nothing outside e2e/ imports from e2e/", () => {
    assert.equal(restrictedImports("scripts", "../e2e/fixtures"), 1);
    assert.equal(restrictedImports("harness", "../e2e/fixtures"), 1);
    assert.equal(restrictedImports("app", "@/e2e/fixtures"), 1);
    assert.equal(restrictedImports("e2e", "./fixtures"), 0);
  });
});
