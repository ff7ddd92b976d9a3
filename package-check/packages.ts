// The four packages others can install, and `npm pack` of them as npm would publish them.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PACKAGES = ["dynamo-local", "dynamo-pages", "lambda-url", "ttfb"] as const;
export type PackageName = (typeof PACKAGES)[number];

export interface Packed {
  name: string;
  dir: string;
  /** Absolute path of the tarball. */
  tarball: string;
  /** Paths inside the tarball, relative to the package root. */
  files: string[];
}

/**
 * The environment for an npm run inside another project: without the variables `npm run` sets for
 * this workspace (npm_config_*, npm_package_*), which would otherwise steer the child npm.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "NODE_PATH" && key !== "INIT_CWD"),
  );
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/** Runs a command; throws with its output when it fails. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${[command, ...args].join(" ")} (in ${options.cwd}) failed with ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Builds each package's dist/, then `npm pack`s it into `destination` as `npm publish` would. */
export function packAll(destination: string): Packed[] {
  run("npm", ["run", "build", "--workspaces", "--if-present"], { cwd: ROOT });
  // --ignore-scripts: `prepare` would build again and print into the JSON report.
  const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", destination];
  for (const name of PACKAGES) args.push("--workspace", `packages/${name}`);
  const report = JSON.parse(run("npm", args, { cwd: ROOT })) as Array<{
    name: string;
    filename: string;
    files: Array<{ path: string }>;
  }>;
  return report.map((entry) => ({
    name: entry.name,
    dir: path.join(ROOT, "packages", entry.name.replace(/^@firstbyte\//, "")),
    tarball: path.join(destination, entry.filename),
    files: entry.files.map((file) => file.path),
  }));
}

/** What a tarball may hold: the built code, the bins and the documents. Anything else is a leak. */
export function unexpectedFiles(files: readonly string[]): string[] {
  const allowed = /^(dist\/.+\.(js|d\.ts)|bin\/[^/]+\.mjs|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
  return files.filter((file) => !allowed.test(file));
}
