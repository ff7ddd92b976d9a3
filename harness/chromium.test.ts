// The browser lookup of harness/chromium.ts against real files in a temporary directory, and
// scripts/ensure-chromium.ts run for real as `npm test` runs it. Hiding /usr/bin/chromium or
// installing needs root; docs/testing.md says how those paths were proved.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  APT_INSTALL,
  type ChromiumCandidate,
  chromiumCandidates,
  DEBIAN_CHROMIUM,
  findChromium,
  installPlan,
  PLAYWRIGHT_INSTALL,
} from "./chromium";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chromium-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\necho Chromium 0\n");
  chmodSync(path, mode);
  return path;
}

const executable = file("chrome", 0o755);
const headlessShell = file("chrome-headless-shell", 0o755);
const notExecutable = file("chrome-not-executable", 0o644);
const absent = join(dir, "absent");

function ensureChromium(env: Record<string, string>) {
  const result = spawnSync(join(root, "node_modules/.bin/tsx"), ["scripts/ensure-chromium.ts"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderrLines: result.stderr.trim().split("\n") };
}

describe("findChromium", () => {
  const debian = (path: string): ChromiumCandidate => ({ source: "Debian", executables: [path] });
  const playwright = (...paths: string[]): ChromiumCandidate => ({ source: "Playwright", executables: paths });

  it("takes the first place that has a browser", () => {
    assert.deepEqual(findChromium([debian(executable), playwright(headlessShell, executable)]), {
      source: "Debian",
      executablePath: executable,
      location: executable,
    });
    assert.equal(findChromium([debian(absent), playwright(headlessShell, executable)])?.source, "Playwright");
  });

  it("leaves executablePath to Playwright when its own build is used", () => {
    const found = findChromium([debian(absent), playwright(headlessShell, executable)]);
    assert.equal(found?.executablePath, undefined);
  });

  it("counts only executable files, and Playwright's build only when all its parts are there", () => {
    assert.equal(findChromium([debian(notExecutable)]), undefined);
    assert.equal(findChromium([debian(absent), playwright(headlessShell, absent)]), undefined);
  });

  it("refuses a CHROMIUM_PATH that is not an executable instead of falling back", () => {
    for (const path of [absent, notExecutable]) {
      assert.throws(
        () => findChromium([{ source: "CHROMIUM_PATH", executables: [path] }, debian(executable)]),
        new RegExp(`^Error: CHROMIUM_PATH=${path} is not an executable file`),
      );
    }
  });
});

describe("chromiumCandidates", () => {
  it("looks only at CHROMIUM_PATH when it is set", () => {
    assert.deepEqual(chromiumCandidates({ CHROMIUM_PATH: executable }), [
      { source: "CHROMIUM_PATH", executables: [executable] },
    ]);
  });

  it("otherwise looks at Debian's Chromium, then where Playwright's registry puts its builds", () => {
    const [first, second] = chromiumCandidates({});
    assert.ok(second);
    assert.deepEqual(first, { source: "Debian", executables: [DEBIAN_CHROMIUM] });
    assert.equal(second.source, "Playwright");
    assert.equal(second.executables.length, 2);
  });

  it("asks Playwright's registry, which follows PLAYWRIGHT_BROWSERS_PATH", () => {
    // The registry reads the variable when it loads, hence a fresh process.
    const result = spawnSync(
      join(root, "node_modules/.bin/tsx"),
      ["-e", 'import("./harness/chromium.ts").then((m) => console.log(m.playwrightChromiumExecutables().join("\\n")))'],
      { cwd: root, encoding: "utf8", env: { ...process.env, PLAYWRIGHT_BROWSERS_PATH: dir } },
    );
    assert.equal(result.status, 0, result.stderr);
    const paths = result.stdout.trim().split("\n");
    assert.equal(paths.length, 2);
    for (const path of paths) assert.ok(path.startsWith(`${dir}/chromium`), path);
  });
});

describe("installPlan", () => {
  it("installs Debian's package as root on Debian", () => {
    assert.deepEqual(installPlan({ debian: true, hasApt: true, root: true }), { kind: "apt", command: APT_INSTALL });
  });

  it("cannot install without root on Debian, and says the command to run", () => {
    const plan = installPlan({ debian: true, hasApt: true, root: false });
    assert.equal(plan.kind, "impossible");
    assert.equal(plan.command, `sudo sh -c '${APT_INSTALL}'`);
  });

  it("uses Playwright's installer elsewhere", () => {
    for (const machine of [
      { debian: false, hasApt: false, root: false },
      { debian: false, hasApt: false, root: true },
      { debian: true, hasApt: false, root: true },
    ]) {
      assert.deepEqual(installPlan(machine), { kind: "playwright", command: PLAYWRIGHT_INSTALL });
    }
  });
});

describe("ensure-chromium (npm's pretest)", () => {
  it("uses CHROMIUM_PATH and says so", () => {
    const result = ensureChromium({ CHROMIUM_PATH: executable });
    assert.equal(result.status, 0, result.stderrLines.join("\n"));
    assert.equal(result.stdout.trim(), `chromium: ${executable} (CHROMIUM_PATH)`);
  });

  it("stops with one line when CHROMIUM_PATH is wrong", () => {
    const result = ensureChromium({ CHROMIUM_PATH: absent });
    assert.equal(result.status, 1);
    assert.deepEqual(result.stderrLines, [
      `CHROMIUM_PATH=${absent} is not an executable file: point it at a Chromium or unset it`,
    ]);
  });
});
