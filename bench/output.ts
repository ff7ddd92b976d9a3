// What the bench leaves behind: bench/results/<date>.json (every figure), bench/results/<date>.svg
// (the chart) and BENCHMARKS.md (the report), plus the machine and versions recorded with them.
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../harness/stack";
import { renderBenchChart } from "./chart";
import { renderBenchmarksMarkdown } from "./report";
import type { BenchResult } from "./result";

/** The machine the bench runs on and the versions it measures (Chromium's when it loads pages). */
export async function benchEnvironment(chromiumPath?: string): Promise<Pick<BenchResult, "machine" | "versions">> {
  return {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    versions: await versions(chromiumPath),
  };
}

async function versions(chromiumPath: string | undefined): Promise<Record<string, string>> {
  const read = async (name: string) => {
    try {
      return (
        JSON.parse(await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }
      ).version;
    } catch {
      return "?";
    }
  };
  const names = [
    "next",
    "react",
    "@opennextjs/aws",
    "aws-lambda-ric",
    "dynalite",
    "playwright-core",
    "@aws-sdk/client-dynamodb",
  ];
  const found: Record<string, string> = {};
  for (const name of names) found[name] = await read(name);
  if (chromiumPath) {
    try {
      // Only the version line: Debian's /usr/bin/chromium is a shell wrapper that may warn on stderr.
      found.chromium = execFileSync(chromiumPath, ["--version"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      found.chromium = "?";
    }
  }
  return found;
}

/** Writes the JSON, the chart and BENCHMARKS.md; returns their paths relative to the repository. */
export async function writeOutputs(result: BenchResult, started: number, outDir: string): Promise<string[]> {
  result.durationS = Math.round((performance.now() - started) / 1000);
  await mkdir(outDir, { recursive: true });
  const json = path.join(outDir, `${result.date.slice(0, 10)}.json`);
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  return [shownPath(json), ...(await writeReport(result, json))];
}

const RESULTS = path.join(ROOT, "bench", "results");

/** A path as the bench prints it: relative inside the repository, absolute outside. */
export function shownPath(file: string): string {
  const relative = path.relative(ROOT, path.resolve(file));
  return relative.startsWith("..") ? path.resolve(file) : relative;
}

/**
 * Writes a result's chart (its JSON's name with .svg) and its report; returns their paths. The
 * report is the repository's BENCHMARKS.md for figures in bench/results/, and a BENCHMARKS.md next
 * to them elsewhere, so a trial run with --out leaves the committed report alone.
 */
export async function writeReport(result: BenchResult, json: string): Promise<string[]> {
  const svg = json.replace(/(\.json)?$/, ".svg");
  await writeFile(svg, renderBenchChart(result));
  const dir = path.dirname(path.resolve(json));
  const markdown = path.join(dir === RESULTS ? ROOT : dir, "BENCHMARKS.md");
  const from = path.dirname(markdown);
  await writeFile(markdown, renderBenchmarksMarkdown(result, path.relative(from, svg), path.relative(from, json)));
  return [shownPath(svg), shownPath(markdown)];
}

/** A result saved by an earlier run. */
export async function readResult(json: string): Promise<BenchResult> {
  const result = JSON.parse(await readFile(json, "utf8")) as BenchResult;
  if (!Array.isArray(result.sizes) || !Array.isArray(result.targets))
    throw new Error(`${json} is not a bench result (no sizes or targets)`);
  return result;
}
