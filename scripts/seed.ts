// `npm run seed -- --count N [--start K]`: loads bikes K…K+N-1 of the deterministic catalog into the
// table that lib/config.ts names (DYNAMODB_ENDPOINT, BIKES_TABLE, or the SST link on a deployed stage).
// Same ids, same items: running it twice leaves the same table. With no DYNAMODB_ENDPOINT and no AWS
// stage, it seeds the embedded DynamoDB that `npm start` keeps under .data/.

import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";
import { loadBikes, ROOT } from "../harness/stack";
import { readConfig } from "../lib/config";
import { createDocumentClient } from "../lib/dynamo";
import { parseWholeNumber } from "../lib/whole-number";
import { ensureBikesTable } from "../seed/table";

const USAGE = "usage: npm run seed -- --count N [--start K] [--aws]";

function wholeArg(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const result = parseWholeNumber(value, { min });
  if (!result.ok) throw new UsageError(`--${name} ${result.problem}`);
  return result.value;
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: "string" },
      start: { type: "string" },
      aws: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return console.log(USAGE);
  const count = wholeArg(values.count, "count", 2000, 1);
  const start = wholeArg(values.start, "start", 0, 0);

  const settings = readConfig();
  let endpoint = settings.endpoint;
  let close = async () => {};
  // Without an endpoint the catalog would go to AWS; do that only when asked (--aws) or when an SST
  // stage is linked, so a newcomer's `npm run seed` fills the local table rather than failing on
  // missing credentials.
  if (endpoint === undefined && !values.aws && settings.tableFrom !== "sst-link") {
    const dynamodb = await startEmbeddedDynamoDB({ path: path.join(ROOT, ".data", "dynalite") });
    endpoint = dynamodb.endpoint;
    close = dynamodb.close;
    console.log("DynamoDB: the embedded one under .data/dynalite (stop `npm start` first: LevelDB allows one process)");
  } else {
    console.log(`DynamoDB: ${endpoint ?? `AWS ${settings.region}`}, table ${settings.table}`);
  }
  try {
    const catalog = { ...settings, endpoint };
    const client = createDocumentClient(catalog);
    await ensureBikesTable(client, catalog.table);
    client.destroy();
    await loadBikes(catalog, count, start, console.log);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`seed failed: ${message}`);
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
    console.error(USAGE);
  process.exit(error instanceof UsageError ? 2 : 1);
});
