import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { FunctionUrlConfigError, FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

const FUNCTION_NAME = "local-only";
const INVOKE_PATH = `/2015-03-31/functions/${FUNCTION_NAME}/invocations`;

function start(allowedHosts?: readonly string[] | "all"): Promise<FunctionUrlServer> {
  return FunctionUrlServer.start({
    handler: fixture("invoke.plain"),
    functionName: FUNCTION_NAME,
    log: logCollector().log,
    ...(allowedHosts === undefined ? {} : { allowedHosts }),
  });
}

describe("the Function URL answers this machine's names only", () => {
  let server: FunctionUrlServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  test("a foreign Host gets 403 with a message that says how to allow it, and no invocation", async () => {
    const invocations = server.stats().invocations;
    const answer = await request(`${server.url}/`, { headers: { host: "evil.example" } });
    assert.equal(answer.status, 403);
    assert.match(answer.body.toString(), /Host "evil\.example" is not allowed.*--allowed-host/);
    assert.equal(server.stats().invocations, invocations);
  });

  for (const host of ["localhost", "app.localhost", "127.0.0.1", "[::1]", "192.168.1.20"]) {
    test(`Host ${host} (with the port) is answered by the function`, async () => {
      const port = new URL(server.url).port;
      const answer = await request(`${server.url}/`, { headers: { host: `${host}:${port}` } });
      assert.equal(answer.status, 200);
    });
  }

  test("a Host name that only looks local is refused", async () => {
    for (const host of ["localhost.evil.example", "127.0.0.1.nip.example", "evil.example:80@localhost"]) {
      const answer = await request(`${server.url}/`, { headers: { host } });
      assert.equal(answer.status, 403, host);
    }
  });
});

describe("allowedHosts", () => {
  test("names given are answered, others still refused", async () => {
    const server = await start(["dev.example.test"]);
    try {
      assert.equal((await request(`${server.url}/`, { headers: { host: "DEV.example.test:8080" } })).status, 200);
      assert.equal((await request(`${server.url}/`, { headers: { host: "evil.example" } })).status, 403);
    } finally {
      await server.close();
    }
  });

  test('"all" answers any Host', async () => {
    const server = await start("all");
    try {
      assert.equal((await request(`${server.url}/`, { headers: { host: "evil.example" } })).status, 200);
    } finally {
      await server.close();
    }
  });

  test("a name with a port, a scheme or a path is a configuration error", async () => {
    for (const name of ["dev.example.test:3000", "http://dev.example.test", "dev/x", ""]) {
      await assert.rejects(start([name]), FunctionUrlConfigError, name);
    }
  });
});

describe("the Invoke API refuses web pages", () => {
  let server: FunctionUrlServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  const warmer = JSON.stringify({ type: "warmer", delay: 59_000 });

  test("a cross-site POST (foreign Origin, text/plain, no preflight) gets 403 and invokes nothing", async () => {
    const invocations = server.stats().invocations;
    const answer = await request(`${server.url}${INVOKE_PATH}`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "text/plain;charset=UTF-8" },
      body: warmer,
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.headers["x-amzn-errortype"], "AccessDeniedException");
    assert.match(answer.body.toString(), /another origin \(http:\/\/evil\.example\)/);
    assert.equal(server.stats().invocations, invocations);
  });

  for (const contentType of [
    undefined,
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
  ]) {
    test(`a body sent as ${contentType ?? "no content type"} gets 415 and invokes nothing`, async () => {
      const invocations = server.stats().invocations;
      const answer = await request(`${server.url}${INVOKE_PATH}`, {
        method: "POST",
        headers: contentType === undefined ? {} : { "content-type": contentType },
        body: warmer,
      });
      assert.equal(answer.status, 415);
      assert.equal(answer.headers["x-amzn-errortype"], "UnsupportedMediaTypeException");
      assert.equal(server.stats().invocations, invocations);
    });
  }

  test("the AWS SDK's own request is answered", async () => {
    const client = new LambdaClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const result = await client.send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: new TextEncoder().encode("{}") }),
    );
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, undefined);
    client.destroy();
  });
});
