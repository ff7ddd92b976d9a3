// Records what `sst deploy --stage <stage>` would register, with no AWS account and no Pulumi
// engine: sst.config.ts is bundled the way the SST CLI bundles it (esbuild, the platform's shim
// injected, `sst` and `aws` as globals) and run in a child process under Pulumi's mocks
// (run-under-mocks.ts), with SST's own component code from .sst/platform.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { StackRecording } from "./recording";

export const ROOT = path.resolve(import.meta.dirname, "..");
const PLATFORM = path.join(ROOT, ".sst", "platform");

export class PrerequisiteError extends Error {
  override name = "PrerequisiteError";
}

/** Throws a PrerequisiteError naming the command to run when something the recording needs is missing. */
export function checkPrerequisites(root = ROOT): void {
  const platform = path.join(root, ".sst", "platform");
  if (!existsSync(path.join(platform, ".check-infra-installed")) || !existsSync(path.join(platform, "src", "shim")))
    throw new PrerequisiteError(`${platform} is missing or incomplete: run npm run infra:check`);
  if (!existsSync(path.join(root, ".open-next", "open-next.output.json")))
    throw new PrerequisiteError(`${path.join(root, ".open-next")} is missing: run npm run build:lambda`);
  if (!existsSync(path.join(root, ".next", "BUILD_ID")))
    throw new PrerequisiteError(`${path.join(root, ".next", "BUILD_ID")} is missing: run npm run build:lambda`);
}

interface EsbuildModule {
  build(options: Record<string, unknown>): Promise<{ errors: { text: string }[] }>;
}

/** sst.config.ts bundled as the SST CLI does (its pkg/js Build): same banner, shim, globals and externals. */
async function bundleConfig(outfile: string): Promise<void> {
  // The platform's own esbuild, the version SST's components are bundled with.
  const esbuild = createRequire(path.join(PLATFORM, "package.json"))("esbuild") as EsbuildModule;
  const providers = JSON.parse(readFileSync(path.join(ROOT, ".sst", "provider-lock.json"), "utf8")) as {
    alias: string;
    package: string;
  }[];
  const globals = [
    ...providers.map((entry) => `import * as ${entry.alias} from "${entry.package}";`),
    `import * as sst from ${JSON.stringify(path.join(PLATFORM, "src", "components"))};`,
  ].join("\n");
  await esbuild.build({
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from "module";`,
        "const require = topLevelCreateRequire(import.meta.url);",
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url";`,
        "const __filename = topLevelFileUrlToPath(import.meta.url);",
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url));`,
      ].join("\n"),
    },
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    stdin: {
      contents: [
        `export { run } from ${JSON.stringify(path.join(PLATFORM, "src", "auto", "run.ts"))};`,
        `export { default as config } from ${JSON.stringify(path.join(ROOT, "sst.config.ts"))};`,
      ].join("\n"),
      resolveDir: ROOT,
      sourcefile: "eval.ts",
      loader: "ts",
    },
    nodePaths: [path.join(PLATFORM, "node_modules")],
    plugins: [
      {
        name: "InjectGlobals",
        setup(build: {
          onLoad(
            options: { filter: RegExp },
            callback: (args: { path: string }) => { contents: string; loader: string },
          ): void;
        }) {
          build.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            const contents = readFileSync(args.path, "utf8");
            return {
              contents: args.path.includes(".sst") ? contents : `${globals}\n${contents}`,
              loader: path.extname(args.path).slice(1),
            };
          });
        },
      },
    ],
    external: [
      "@pulumi/*",
      "undici",
      "@pulumiverse/*",
      "@sst-provider/*",
      "@aws-sdk/*",
      "esbuild",
      "archiver",
      "glob",
      "vite",
    ],
    inject: [path.join(PLATFORM, "src", "shim", "run.js")],
    outfile,
    write: true,
    bundle: true,
    logLevel: "silent",
  });
}

/** Inputs that are noise or private: the build's copy of the caller's environment, dynamic providers' code. */
function sanitize(recording: StackRecording): StackRecording {
  for (const resource of recording.resources) {
    delete resource.inputs.__provider;
    const environment = resource.inputs.environment;
    if (resource.type === "command:local:Command" && environment && typeof environment === "object") {
      resource.inputs.environment = Object.fromEntries(
        Object.entries(environment).filter(([key]) => key === "SST" || key.startsWith("SST_RESOURCE_")),
      );
    }
  }
  return recording;
}

/** Runs sst.config.ts for `stage` under Pulumi mocks and returns every resource it registers. */
export async function recordStack(stage: string): Promise<StackRecording> {
  checkPrerequisites();
  const work = await mkdtemp(path.join(os.tmpdir(), `firstbyte-infra-${stage}-`));
  // In .sst/platform, like the CLI's own sst.config.<time>.mjs: external imports resolve from there.
  const bundle = path.join(PLATFORM, `firstbyte-infra.${stage}.${process.pid}.mjs`);
  try {
    await bundleConfig(bundle);
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
      (resolve, reject) => {
        const child = spawn(
          path.join(ROOT, "node_modules", ".bin", "tsx"),
          [path.join(import.meta.dirname, "run-under-mocks.ts"), bundle, stage, work],
          { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
        );
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        child.once("error", reject);
        child.once("close", (exitCode) =>
          resolve({
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8"),
            code: exitCode,
          }),
        );
      },
    );
    if (code !== 0) throw new Error(`sst.config.ts failed under Pulumi mocks for stage ${stage}:\n${stderr.trim()}`);
    return sanitize(JSON.parse(stdout) as StackRecording);
  } finally {
    await rm(bundle, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}
