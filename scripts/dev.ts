// `npm run dev`: `next dev` (hot reload) against the same embedded DynamoDB as `npm start`, created
// and seeded when needed. DYNAMODB_ENDPOINT points it elsewhere, as everywhere.
import { spawn } from "node:child_process";
import path from "node:path";
import { startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";
import { prepareTable, ROOT } from "../harness/stack";
import { readConfig, readStartSettings } from "../lib/config";

const settings = readConfig();
const { port, seedCount } = readStartSettings();
const dynamodb = settings.endpoint
  ? undefined
  : await startEmbeddedDynamoDB({ path: path.join(ROOT, ".data", "dynalite") });
const catalog = { ...settings, endpoint: settings.endpoint ?? dynamodb?.endpoint };
console.log(`DynamoDB: ${catalog.endpoint}${dynamodb ? " (embedded, data in .data/dynalite)" : ""}`);
await prepareTable(catalog, seedCount, console.log);

const next = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["dev", "--port", String(port)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, DYNAMODB_ENDPOINT: catalog.endpoint, BIKES_TABLE: catalog.table, AWS_REGION: catalog.region },
});
const stop = () => next.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
next.on("exit", async (code) => {
  await dynamodb?.close();
  process.exit(code ?? 0);
});
