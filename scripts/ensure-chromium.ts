// `npm test`'s first step (npm's `pretest`): make sure the e2e suite has a Chromium before any test
// runs. It looks where `harness/chromium.ts` says; when there is none it installs one (Debian's
// package as root on Debian, Playwright's own build elsewhere) or stops with one line saying what
// to run.
import { spawnSync } from "node:child_process";
import {
  ChromiumMissing,
  chromiumCandidates,
  findChromium,
  type InstallPlan,
  installPlan,
  missingChromiumLine,
  thisMachine,
} from "../harness/chromium";

function run(command: string, args: string[]): boolean {
  console.log(`chromium: ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

function install(plan: Exclude<InstallPlan, { kind: "impossible" }>): boolean {
  if (plan.kind === "apt") return run("apt-get", ["update"]) && run("apt-get", ["install", "-y", "chromium"]);
  return run("npx", ["playwright", "install", "chromium"]);
}

function fail(line: string): never {
  console.error(line);
  process.exit(1);
}

function find(): ReturnType<typeof findChromium> {
  try {
    return findChromium(chromiumCandidates());
  } catch (error) {
    if (error instanceof ChromiumMissing) fail(error.message);
    throw error;
  }
}

let found = find();
if (!found) {
  const plan = installPlan(thisMachine());
  if (plan.kind === "impossible") fail(missingChromiumLine(plan.reason, plan.command));
  console.log(`chromium: none found, installing it (${plan.command})`);
  if (!install(plan)) fail(missingChromiumLine(`\`${plan.command}\` failed, see above`, plan.command));
  found = find();
  if (!found) fail(missingChromiumLine(`\`${plan.command}\` installed no Chromium`, plan.command));
}
console.log(`chromium: ${found.location} (${found.source})`);
