// Adds the lockfile entries npm cannot write on the project's machines: their npm registry mirror
// answers 404 for Next's macOS and Windows compiler packages, so `npm install` leaves them out of
// package-lock.json, and `npm ci` (anywhere) then refuses the lock as out of sync ("Missing:
// @next/swc-darwin-arm64@ from lock file"). The entries carry no integrity (unknown here); npm never
// installs them on Linux, and elsewhere installs them from the registry. Run after `npm install`
// changes the lock: `node scripts/lockfile-platform-entries.mjs`. See docs/decisions/005.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const next = lock.packages["node_modules/next"];
let added = 0;
for (const [name, version] of Object.entries(next?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const platform = /^@next\/swc-(darwin|win32)-(arm64|x64)/.exec(name);
  if (!platform)
    throw new Error(`${name} is missing from the lock and is not a known platform package: run npm install`);
  lock.packages[key] = {
    version,
    cpu: [platform[2]],
    license: "MIT",
    optional: true,
    os: [platform[1]],
    engines: { node: ">= 10" },
  };
  added++;
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: ${added} platform entr${added === 1 ? "y" : "ies"} added`);
