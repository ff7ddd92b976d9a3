import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readmeFiles } from "./consumer";
import { unexpectedFiles } from "./packages";

describe("what a tarball may hold", () => {
  it("lets through built code, declarations, bins and documents", () => {
    const files = ["package.json", "README.md", "CHANGELOG.md", "LICENSE", "bin/ttfb.mjs", "dist/index.js"];
    assert.deepEqual(unexpectedFiles([...files, "dist/index.d.ts", "dist/sub/x.js"]), []);
  });

  it("names sources, tests, source maps and configs", () => {
    const leaks = ["src/index.ts", "test/cli.test.ts", "dist/index.js.map", "tsconfig.json", "dist/index.d.ts.map"];
    assert.deepEqual(unexpectedFiles(["dist/index.js", ...leaks]), leaks);
  });
});

describe("a README's quick-start files", () => {
  it("takes each fenced block that starts with // NAME.mjs, as written", () => {
    const readme = [
      "Intro.",
      "```js",
      "// handler.mjs",
      "export const handler = 1;",
      "```",
      "```sh",
      "// not.mjs",
      "```",
      "```ts",
      "// try.mjs — a note",
      "console.log(1);",
      "```",
    ].join("\n");
    assert.deepEqual(readmeFiles(readme), [
      { name: "handler.mjs", text: "export const handler = 1;\n" },
      { name: "try.mjs", text: "console.log(1);\n" },
    ]);
  });
});
