// `npm run test:unit`: runs every *.test.ts(x) the runner can find, so a test added in any folder
// runs without being listed. Packages run their own tests; infra/ runs under `npm run infra:test`.
import { spawnSync } from "node:child_process";
import { globSync } from "tinyglobby";

const IGNORE = ["**/node_modules/**", "packages/**", "infra/**", ".next/**", ".open-next/**", ".sst/**", ".data/**"];

const files = globSync(["**/*.test.ts", "**/*.test.tsx"], { ignore: IGNORE }).sort();
if (files.length === 0) {
  console.error("test:unit: no *.test.ts files found");
  process.exit(1);
}
const run = spawnSync(process.execPath, ["--import", "tsx", "--test", ...process.argv.slice(2), ...files], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
