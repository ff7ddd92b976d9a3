// The consumer check: the four tarballs installed with npm into an empty project outside this
// repository, then used there as a stranger would, with plain Node — no tsx, no workspace links.
// The project's tests (package-check/project/) run there with `node --test` and Playwright.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromiumForConfig } from "../harness/chromium";
import { cleanEnv, PACKAGES, packAll, ROOT, run } from "./packages";

const PROJECT_FILES = path.join(ROOT, "package-check", "project");
/** A one-page Next.js app (not this repository's), built with OpenNext inside the project. */
const NEXT_APP_FILES = path.join(ROOT, "package-check", "next-app");

/**
 * The exact version of a dependency that this workspace has installed: npm's cache holds it, and
 * the check meets no release newer than the one the repository was tested with.
 */
function installedVersion(name: string): string {
  const manifest = path.join(ROOT, "node_modules", name, "package.json");
  if (!existsSync(manifest)) throw new Error(`${name} is not installed in ${ROOT}: run npm ci first`);
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * The quick-start files of a README: each fenced block whose first line is `// NAME.mjs`, written
 * out as it stands, so that what a reader copies is what this check runs.
 */
export function readmeFiles(readme: string): Array<{ name: string; text: string }> {
  const files: Array<{ name: string; text: string }> = [];
  for (const match of readme.matchAll(/```(?:js|ts)\n\/\/ ([\w.-]+\.mjs)\b[^\n]*\n([\s\S]*?)```/g))
    files.push({ name: match[1]!, text: match[2]! });
  return files;
}

/** A README's quick-start files in `dir`; throws if the README has none of `expected`. */
function writeReadmeFiles(packageName: string, dir: string, expected: string[]): void {
  const readme = readFileSync(path.join(ROOT, "packages", packageName, "README.md"), "utf8");
  const files = readmeFiles(readme);
  const names = files.map((file) => file.name);
  for (const name of expected)
    if (!names.includes(name)) throw new Error(`packages/${packageName}/README.md has no "// ${name}" block`);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(path.join(dir, file.name), file.text);
}

function step(title: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  console.log(`consumer: ${title}: ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`consumer: ${title} failed (${result.status ?? result.signal})`);
}

export function checkConsumer(options: { keep?: boolean; nextApp?: boolean } = {}): void {
  const work = mkdtempSync(path.join(tmpdir(), "firstbyte-consumer-"));
  if (path.relative(ROOT, work).split(path.sep)[0] !== "..") throw new Error(`${work} is inside ${ROOT}`);
  const tarballs = path.join(work, "tarballs");
  const project = path.join(work, "project");
  mkdirSync(tarballs);
  try {
    const packed = packAll(tarballs);
    cpSync(PROJECT_FILES, project, { recursive: true });
    const dependencies: Record<string, string> = {};
    for (const entry of packed) dependencies[entry.name] = `file:${entry.tarball}`;
    const others = ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@playwright/test"];
    if (options.nextApp) others.push("next", "react", "react-dom", "@opennextjs/aws");
    for (const name of others) dependencies[name] = installedVersion(name);
    writeFileSync(
      path.join(project, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2)}\n`,
    );
    const env = cleanEnv();
    step("install the tarballs", "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], project, env);

    // A tarball is copied in, never linked; and nothing installed the workspace's TypeScript runner.
    for (const name of PACKAGES) {
      const installed = path.join(project, "node_modules", "@firstbyte", name);
      if (lstatSync(installed).isSymbolicLink()) throw new Error(`${installed} is a link, not an installed copy`);
    }
    if (existsSync(path.join(project, "node_modules", "tsx")))
      throw new Error("tsx was installed: a package still depends on it at run time");
    run("node", ["-e", "import('@firstbyte/lambda-url').then((m) => { if (!m.FunctionUrlServer) process.exit(1) })"], {
      cwd: project,
      env,
    });

    // The READMEs' quick starts as written, run by readme.test.mjs.
    const readmes = path.join(project, "readme");
    writeReadmeFiles("dynamo-local", path.join(readmes, "dynamo-local"), ["try.mjs", "pages.mjs"]);
    writeReadmeFiles("dynamo-pages", path.join(readmes, "dynamo-pages"), ["pages.mjs"]);
    writeReadmeFiles("lambda-url", path.join(readmes, "lambda-url"), ["handler.mjs"]);

    step(
      "lambda-url, ttfb, dynamo-pages, dynamo-local and the READMEs",
      "node",
      ["--test", "lambda-url.test.mjs", "dynamo.test.mjs", "readme.test.mjs"],
      project,
      env,
    );
    const chromium = chromiumForConfig();
    step(
      "the TTFB fixture in Playwright",
      "npx",
      ["--yes=false", "playwright", "test"],
      project,
      cleanEnv(chromium ? { CHROMIUM_PATH: chromium } : {}),
    );
    if (options.nextApp) {
      cpSync(NEXT_APP_FILES, project, { recursive: true });
      const nextEnv = cleanEnv({ NEXT_TELEMETRY_DISABLED: "1" });
      step("OpenNext build of a one-page Next.js app", "npx", ["--yes=false", "open-next", "build"], project, nextEnv);
      step("lambda-url streams its bundle", "node", ["--test", "next.test.mjs"], project, nextEnv);
    }
    console.log("consumer: every check passed");
  } finally {
    if (options.keep) console.log(`consumer: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
