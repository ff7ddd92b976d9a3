import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

// The module's import waits this long at top level; the runtime asks for work only after it.
const IMPORT_MS = 300;
const INIT_FIELD = /Init Duration: (\d+\.\d\d) ms/;

describe("Init Duration, as Lambda reports it for a cold start", () => {
  const servers: FunctionUrlServer[] = [];
  const start = async (log: (line: string) => void) => {
    const server = await FunctionUrlServer.start({
      handler: fixture("init.handler"),
      env: { INIT_DELAY_MS: String(IMPORT_MS) },
      log,
    });
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  test("the cold invocation's log line carries it, covering the handler's import; a warm one does not", async () => {
    const logs = logCollector();
    const server = await start(logs.log);
    const cold = await request(`${server.url}/first`);
    const warm = await request(`${server.url}/second`);
    assert.equal(warm.body.toString(), cold.body.toString(), "one environment served both");

    const coldLine = logs.lines.find((line) => line.includes(" GET /first "));
    const warmLine = logs.lines.find((line) => line.includes(" GET /second "));
    assert.match(coldLine ?? "", /^[0-9a-f-]{36} GET \/first 200 \d+B \d+ms cold Init Duration: \d+\.\d\d ms$/);
    assert.match(warmLine ?? "", /^[0-9a-f-]{36} GET \/second 200 \d+B \d+ms warm$/);
    const init = Number(INIT_FIELD.exec(coldLine ?? "")?.[1]);
    // A lower bound set by the fixture, not a speed: the import's own wait is inside the init phase.
    assert.ok(init >= IMPORT_MS, `Init Duration ${init} ms should include the ${IMPORT_MS} ms import`);
  });

  test("LogType Tail: the cold start's REPORT line ends with Init Duration, the warm one's has none", async () => {
    const server = await start(() => {});
    const lambda = new LambdaClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const report = async () => {
      const response = await lambda.send(new InvokeCommand({ FunctionName: "function", LogType: "Tail" }));
      const tail = Buffer.from(response.LogResult ?? "", "base64").toString("utf8");
      return tail.trimEnd().split("\n").at(-1) ?? "";
    };
    const coldReport = await report();
    const warmReport = await report();
    lambda.destroy();
    assert.match(
      coldReport,
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tInit Duration: \d+\.\d\d ms$/,
    );
    assert.ok(Number(INIT_FIELD.exec(coldReport)?.[1]) >= IMPORT_MS);
    assert.match(
      warmReport,
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB$/,
    );
  });
});
