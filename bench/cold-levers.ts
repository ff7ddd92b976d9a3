// Cold-start levers side by side: each variant is a server bundle (a copy of
// .open-next/server-functions/default, built or changed one way) and optional variables for the
// function's environment; every round makes one cold start of each, interleaved with the floor, so
// the machine's load lands on all alike. Prints one table row per variant (median, min–max).
//
// Usage: tsx bench/cold-levers.ts [--rounds 5] [--bikes 2000]
//          --variant 'NAME=BUNDLE_DIR[ KEY=VALUE ...]' [--variant …]
// e.g.   --variant baseline=.open-next/server-functions/default
//        --variant 'semi=.open-next/server-functions/default NODE_OPTIONS=--max-semi-space-size=102'
// (decision 019 lists the variants measured and how each bundle was made).
import path from "node:path";
import { parseArgs } from "node:util";
import type { Summary } from "@firstbyte/ttfb";
import { deployedRuntime, loadBikes, prepareTable, ROOT, serverEnv } from "../harness/stack";
import { readConfig } from "../lib/config";
import { type ColdVariant, FLOOR_HANDLER, FLOOR_KEY, measureColdStarts } from "./cold";
import { startDynamoDBProcess } from "./processes";

const ROW = 'data-bike-id="';

function parseVariant(spec: string, env: Record<string, string>, runtime: string): ColdVariant {
  const [head = "", ...assignments] = spec.trim().split(/\s+/);
  const at = head.indexOf("=");
  if (at < 1) throw new Error(`--variant "${spec}": expected NAME=BUNDLE_DIR`);
  const extra: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq < 1) throw new Error(`--variant "${spec}": "${assignment}" is not KEY=VALUE`);
    extra[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return {
    key: head.slice(0, at),
    handler: path.join(path.resolve(ROOT, head.slice(at + 1)), "index.handler"),
    path: "/bikes",
    firstItem: ROW,
    env: { ...env, ...extra },
    runtime,
  };
}

const cell = (s: Summary | undefined) =>
  s ? `${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})` : "—";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      bikes: { type: "string", default: "2000" },
      variant: { type: "string", multiple: true, default: [] },
    },
  });
  const rounds = Number(values.rounds);
  const bikes = Number(values.bikes);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(bikes) || bikes < 1 || values.variant.length === 0) {
    console.error("usage: tsx bench/cold-levers.ts [--rounds N] [--bikes N] --variant 'NAME=DIR[ K=V …]' …");
    process.exit(2);
  }
  const dynamodb = await startDynamoDBProcess();
  try {
    const catalog = { ...readConfig({}), endpoint: dynamodb.endpoint };
    await prepareTable(catalog, 0, () => {});
    await loadBikes(catalog, bikes, 0, () => {});
    const runtime = deployedRuntime();
    const env = serverEnv(catalog);
    const variants = [
      { key: FLOOR_KEY, handler: FLOOR_HANDLER, path: "/", env: {}, runtime },
      ...values.variant.map((spec) => parseVariant(spec, env, runtime)),
    ];
    const started = performance.now();
    const results = await measureColdStarts(variants, rounds, (key, round, run) =>
      console.error(
        `round ${round + 1} ${key}: ${run.status} TTFB ${run.ttfbMs} ms, first row ${run.firstItemMs ?? "—"} ms, init ${run.initMs ?? "—"} ms, CPU ${run.cpuMs ?? "—"} ms`,
      ),
    );
    console.log(
      `\n${bikes} bikes, ${rounds} cold starts each, interleaved; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    console.log(
      "| variant | cold TTFB | first row | Init Duration | runtime ready | handler import | first request | CPU to first byte | status |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const variant of variants) {
      const r = results[variant.key]!;
      console.log(
        `| ${variant.key} | ${cell(r.ttfbMs)} | ${cell(r.firstItemMs)} | ${cell(r.initMs)} | ${cell(r.runtimeReadyMs)} | ${cell(r.importMs)} | ${cell(r.firstRequestMs)} | ${cell(r.cpuMs)} | ${[...new Set(r.status)].join(",")} |`,
      );
    }
  } finally {
    await dynamodb.close();
  }
}

main().catch((error: unknown) => {
  console.error(`cold-levers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
