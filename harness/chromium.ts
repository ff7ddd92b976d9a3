// Which Chromium the e2e suite launches. Shared by `scripts/ensure-chromium.ts` (run before
// `npm test`), `playwright.config.ts` and `e2e/global-setup.ts`, so all three agree.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
export const APT_INSTALL = "apt-get update && apt-get install -y chromium";
export const PLAYWRIGHT_INSTALL = "npx playwright install chromium";

/**
 * How the e2e suite and the bench launch Chromium: root in a container needs --no-sandbox; the
 * rest keeps Chromium off the machine's closed network (docs/local-setup.md).
 */
export const CHROMIUM_LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export type ChromiumCandidate =
  | { source: "CHROMIUM_PATH"; executables: [string] }
  | { source: "Debian"; executables: [string] }
  // Playwright launches its headless shell in headless mode and its full Chromium when headed;
  // `npx playwright install chromium` installs both.
  | { source: "Playwright"; executables: string[] };

export type ChromiumFound = {
  source: ChromiumCandidate["source"];
  /** The path the config hands to Playwright; undefined lets Playwright pick its own browser. */
  executablePath: string | undefined;
  /** What to show the user. */
  location: string;
};

type PlaywrightRegistry = { findExecutable(name: string): { executablePath(): string | undefined } | undefined };

/** Where Playwright's own installer puts its Chromium builds (honours PLAYWRIGHT_BROWSERS_PATH). */
export function playwrightChromiumExecutables(): string[] {
  // The registry is how Playwright itself finds its browsers; playwright-core exports it from
  // `lib/coreBundle` (it has no typings, hence the narrow type above).
  const require = createRequire(import.meta.url);
  const { registry } = require("playwright-core/lib/coreBundle").registry as { registry: PlaywrightRegistry };
  return ["chromium-headless-shell", "chromium"].map((name) => {
    const path = registry.findExecutable(name)?.executablePath();
    if (!path) throw new Error(`playwright-core knows no ${name} executable for this platform`);
    return path;
  });
}

/** The places to look, in order: CHROMIUM_PATH, Debian's Chromium, a Chromium Playwright installed. */
export function chromiumCandidates(env: Record<string, string | undefined> = process.env): ChromiumCandidate[] {
  if (env.CHROMIUM_PATH) return [{ source: "CHROMIUM_PATH", executables: [env.CHROMIUM_PATH] }];
  return [
    { source: "Debian", executables: [DEBIAN_CHROMIUM] },
    { source: "Playwright", executables: playwrightChromiumExecutables() },
  ];
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class ChromiumMissing extends Error {}

/**
 * The first candidate whose executables all exist, or undefined. A CHROMIUM_PATH that is not an
 * executable throws: the user asked for that browser, so falling back would hide the mistake.
 */
export function findChromium(candidates: ChromiumCandidate[]): ChromiumFound | undefined {
  for (const candidate of candidates) {
    const ready = candidate.executables.every(isExecutable);
    if (candidate.source === "CHROMIUM_PATH" && !ready) {
      throw new ChromiumMissing(
        `CHROMIUM_PATH=${candidate.executables[0]} is not an executable file: point it at a Chromium or unset it`,
      );
    }
    if (!ready) continue;
    if (candidate.source === "Playwright") {
      return { source: "Playwright", executablePath: undefined, location: candidate.executables.join(" and ") };
    }
    return { source: candidate.source, executablePath: candidate.executables[0], location: candidate.executables[0] };
  }
  return undefined;
}

/** The one line to show when no Chromium is there and `npm test` cannot install one. */
export function missingChromiumLine(reason: string, command: string): string {
  return `No Chromium for the e2e tests (${reason}): run \`${command}\`, or set CHROMIUM_PATH to a Chromium executable.`;
}

/** The executablePath for playwright.config.ts; never throws (global-setup.ts reports a missing browser). */
export function chromiumForConfig(): string | undefined {
  try {
    return findChromium(chromiumCandidates())?.executablePath;
  } catch {
    return undefined;
  }
}

export type InstallPlan =
  | { kind: "apt"; command: string }
  | { kind: "playwright"; command: string }
  | { kind: "impossible"; reason: string; command: string };

export type Machine = { debian: boolean; hasApt: boolean; root: boolean };

/** How to get a Chromium on this machine, or why `npm test` cannot. */
export function installPlan(machine: Machine): InstallPlan {
  if (machine.debian && machine.hasApt) {
    if (machine.root) return { kind: "apt", command: APT_INSTALL };
    return {
      kind: "impossible",
      reason: "installing Debian's chromium needs root",
      command: `sudo sh -c '${APT_INSTALL}'`,
    };
  }
  return { kind: "playwright", command: PLAYWRIGHT_INSTALL };
}

export function thisMachine(): Machine {
  return {
    debian: existsSync("/etc/debian_version"),
    hasApt: spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0,
    root: process.getuid?.() === 0,
  };
}

/** For e2e/global-setup.ts: the browser the suite will launch, or the one line saying what to run. */
export function requireChromium(): ChromiumFound {
  const found = findChromium(chromiumCandidates());
  if (found) return found;
  const plan = installPlan(thisMachine());
  throw new ChromiumMissing(missingChromiumLine(plan.kind === "impossible" ? plan.reason : "none found", plan.command));
}
