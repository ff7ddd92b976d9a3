// The embedded engine and the fault proxy answer this machine's programs, not web pages: the
// requests a browser would send (an Origin, a preflight, a rebound Host) get 403 and no CORS header.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { type EmbeddedDynamoDB, type FaultProxy, startEmbeddedDynamoDB, startFaultProxy } from "../src/index.ts";

let dynamodb: EmbeddedDynamoDB;
let proxy: FaultProxy;

before(async () => {
  dynamodb = await startEmbeddedDynamoDB();
  proxy = await startFaultProxy({ target: dynamodb.endpoint });
});
after(async () => {
  await proxy.close();
  await dynamodb.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A DynamoDB ListTables request as a browser or a program would send it, with `headers` added. */
function send(url: string, method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "DynamoDB_20120810.ListTables",
          ...headers,
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end(method === "POST" ? "{}" : undefined);
  });
}

for (const [name, endpoint] of [
  ["the embedded DynamoDB", () => dynamodb.endpoint],
  ["the fault proxy", () => proxy.endpoint],
] as const) {
  describe(name, () => {
    it("listens on loopback", () => {
      assert.equal(new URL(endpoint()).hostname, "127.0.0.1");
    });

    it("refuses a CORS preflight from a web page, with no CORS header", async () => {
      const answer = await send(endpoint(), "OPTIONS", {
        origin: "http://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-amz-target",
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.headers["access-control-allow-origin"], undefined);
    });

    it("refuses a request that carries an Origin, with no CORS header", async () => {
      const answer = await send(endpoint(), "POST", { origin: "http://evil.example" });
      assert.equal(answer.status, 403);
      assert.match(answer.body, /requests from web pages are not allowed/);
      assert.equal(answer.headers["access-control-allow-origin"], undefined);
    });

    it("refuses a Host that is not a local name (DNS rebinding)", async () => {
      const answer = await send(endpoint(), "POST", { host: "evil.example" });
      assert.equal(answer.status, 403);
      assert.match((JSON.parse(answer.body) as { message: string }).message, /Host "evil\.example" is not allowed/);
    });

    it("answers the AWS SDK", async () => {
      const client = new DynamoDBClient({
        endpoint: endpoint(),
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      });
      const tables = await client.send(new ListTablesCommand({}));
      assert.ok(Array.isArray(tables.TableNames));
      client.destroy();
    });
  });
}
