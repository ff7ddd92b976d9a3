// The READMEs' quick starts, copied out of them by the check into readme/<package>/: each runs as
// written. dynamo-pages' reads "the account your AWS SDK is set up for", which here is the
// embedded engine, named through the SDK's own environment variables.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";
import { startLambdaUrl } from "./serve.mjs";

const run = promisify(execFile);

test("dynamo-local: try.mjs lists no tables", async () => {
  const { stdout } = await run("node", ["try.mjs"], { cwd: "readme/dynamo-local" });
  assert.match(stdout, /TableNames: \[\]/);
});

test("dynamo-local: pages.mjs reads five of ten rows in pages of three and ends with a cursor", async () => {
  const { stdout } = await run("node", ["pages.mjs"], { cwd: "readme/dynamo-local" });
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 2, stdout);
  assert.match(lines[1], /[A-Za-z0-9_-]+$/);
});

test.describe("dynamo-pages: pages.mjs against the embedded engine", () => {
  let dynamodb;
  before(async () => {
    dynamodb = await startEmbeddedDynamoDB();
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamodb.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "x", secretAccessKey: "x" },
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: "Rows",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      }),
    );
    for (let i = 0; i < 700; i++) await client.send(new PutCommand({ TableName: "Rows", Item: { id: `row-${i}` } }));
    client.destroy();
  });
  after(() => dynamodb?.close());

  test("it prints five pages of 100 items, each with a cursor", async () => {
    const { stdout } = await run("node", ["pages.mjs"], {
      cwd: "readme/dynamo-pages",
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "x",
      },
    });
    const lines = stdout.trim().split("\n");
    assert.equal(lines.length, 5, stdout);
    for (const line of lines) assert.match(line, /^100 items; continue after them with [A-Za-z0-9_-]+$/);
  });
});

test("lambda-url: handler.mjs streams first, then last", { timeout: 60_000 }, async () => {
  const server = await startLambdaUrl(["./handler.mjs"], "readme/lambda-url");
  try {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "first\nlast\n");
  } finally {
    await server.close();
  }
});
