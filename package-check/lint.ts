// What a registry user would get from each package, checked without installing it: publint (the
// package.json fields against the files), Are the Types Wrong (the types every resolution mode
// sees), the tarball's file list, and `npm publish --dry-run`. Any finding fails the check.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { packAll, ROOT, run, unexpectedFiles } from "./packages";

export function lintPackages(): void {
  const destination = mkdtempSync(path.join(tmpdir(), "firstbyte-pack-"));
  const problems: string[] = [];
  try {
    for (const packed of packAll(destination)) {
      const check = (label: string, action: () => void) => {
        try {
          action();
          console.log(`packages: ${packed.name}: ${label} ok`);
        } catch (error) {
          problems.push(`${packed.name}: ${label}: ${(error as Error).message}`);
        }
      };
      check("files", () => {
        const extra = unexpectedFiles(packed.files);
        if (extra.length > 0)
          throw new Error(`the tarball holds files that are not meant for users: ${extra.join(", ")}`);
      });
      // --strict turns publint's suggestions and warnings into errors: it should report nothing.
      check("publint", () => run("npx", ["--yes=false", "publint", "run", "--strict", packed.dir], { cwd: ROOT }));
      // ESM only, so the CommonJS and node10 resolution modes are out of scope (esm-only profile).
      check("attw", () =>
        run("npx", ["--yes=false", "attw", packed.tarball, "--profile", "esm-only", "--format", "ascii"], {
          cwd: ROOT,
        }),
      );
      check("npm publish --dry-run", () => {
        const result = spawnSync(
          "npm",
          ["publish", "--dry-run", "--ignore-scripts", "--access", "public", packed.tarball],
          { cwd: ROOT, encoding: "utf8" },
        );
        // A dry run has no registry login to check; any other warning (a field npm had to
        // correct, a file it refused) is a finding.
        const warnings = result.stderr
          .split("\n")
          .filter((line) => /^npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
        if (result.status !== 0 || warnings.length > 0)
          throw new Error(`exit ${result.status}\n${warnings.join("\n") || result.stderr}`);
      });
    }
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(problems.join("\n\n"));
    process.exitCode = 1;
  }
}
