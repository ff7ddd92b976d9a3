// `npm run build:lambda`: builds the Lambda bundle with OpenNext (open-next.config.ts), then checks
// the output sst.aws.Nextjs will deploy, so a wrong bundle fails here and not after a deploy.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");

const OUTPUT = path.join(ROOT, ".open-next");

class BundleCheckError extends Error {
  override name = "BundleCheckError";
}

function runOpenNextBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "open-next"), ["build"], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`open-next build failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

interface OpenNextOutput {
  origins: Record<string, { type: string; bundle?: string; handler?: string; streaming?: boolean; wrapper?: string }>;
}

/** Returns warnings; throws BundleCheckError for anything that would deploy a broken or buffered server. */
export function checkBundle(output = OUTPUT): string[] {
  const warnings: string[] = [];
  const manifestPath = path.join(output, "open-next.output.json");
  if (!existsSync(manifestPath))
    throw new BundleCheckError(`${manifestPath} is missing: open-next build did not finish`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as OpenNextOutput;
  const server = manifest.origins.default;
  if (server?.type !== "function" || server.bundle === undefined)
    throw new BundleCheckError("open-next.output.json has no default server function");
  // sst.aws.Nextjs sets the Function URL's InvokeMode to RESPONSE_STREAM only when this is true;
  // otherwise every page would be buffered whole before its first byte.
  if (server.streaming !== true)
    throw new BundleCheckError(`the default server function is not streaming (wrapper "${server.wrapper}")`);
  // Bundle paths in the manifest are relative to the folder that holds .open-next.
  const bundle = path.join(path.dirname(output), server.bundle);
  if (!existsSync(path.join(bundle, "index.mjs")))
    throw new BundleCheckError(`${path.join(bundle, "index.mjs")} is missing`);
  // The compiled config carries our wrapper; without `retainChunks: false` the function keeps every
  // byte of each page in memory (opennext-wrapper/streaming-wrapper.ts).
  const config = readFileSync(path.join(bundle, "open-next.config.mjs"), "utf8");
  if (!config.includes("retainChunks: false"))
    throw new BundleCheckError(
      "the server bundle does not contain opennext-wrapper/streaming-wrapper.ts (retainChunks: false)",
    );
  if (existsSync(path.join(bundle, "middleware.mjs")) === false)
    warnings.push("no middleware.mjs in the server bundle: proxy.ts will not run");
  const sdkChunks = proxyChunksWithAwsSdk(bundle);
  if (sdkChunks.length > 0)
    warnings.push(
      `proxy.ts's bundle loads the AWS SDK (${sdkChunks.join(", ")}): every cold start imports it before the first request and again for the page; import only @firstbyte/dynamo-pages/cursor from code proxy.ts reaches (docs/decisions/019-cold-start.md)`,
    );

  // sst.aws.Nextjs runs the image function on arm64. npm skips sharp's platform packages it cannot
  // fetch (offline) without failing, which leaves sharp unable to load at run time.
  const images = path.join(output, "image-optimization-function", "node_modules", "@img");
  const platforms = existsSync(images) ? readdirSync(images).filter((name) => name.startsWith("sharp-linux-")) : [];
  if (!platforms.includes("sharp-linux-arm64")) {
    warnings.push(
      `image function: no @img/sharp-linux-arm64 (found: ${platforms.join(", ") || "none"}); /_next/image will fail on Lambda. Build with registry access.`,
    );
  }
  return warnings;
}

/**
 * The chunks of the compiled proxy (`.next/server/middleware.js` loads them with `R.c("…")`) that
 * contain AWS SDK code. proxy.ts runs before every route and needs none: the SDK there would be
 * imported at every cold start before the first request, and a second time by the page's chunks.
 */
export function proxyChunksWithAwsSdk(serverBundle: string): string[] {
  const entry = path.join(serverBundle, ".next", "server", "middleware.js");
  if (!existsSync(entry)) return [];
  const chunks = [...readFileSync(entry, "utf8").matchAll(/R\.c\("server\/(chunks\/[^"]+)"\)/g)].map((m) => m[1] ?? "");
  return chunks.filter((chunk) => {
    const file = path.join(serverBundle, ".next", "server", chunk);
    return existsSync(file) && readFileSync(file, "utf8").includes("@aws-sdk/");
  });
}

/** open-next build, then the bundle check; used by `npm run build:lambda` and by the local stack. */
export async function buildLambda(log: (line: string) => void = console.log): Promise<void> {
  const started = performance.now();
  await runOpenNextBuild();
  const warnings = checkBundle();
  for (const warning of warnings) log(`build:lambda: warning: ${warning}`);
  log(
    `build:lambda: .open-next ready (streaming server function) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  await buildLambda();
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build:lambda: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
