import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector, request } from "./helpers.ts";

describe("payload format 2.0 event and Runtime API", () => {
  const logs = logCollector();
  let echo: FunctionUrlServer;
  before(async () => {
    echo = await FunctionUrlServer.start({
      handler: fixture("buffered.handler"),
      invokeMode: "BUFFERED",
      log: logs.log,
    });
  });
  after(() => echo.close());

  test("the event a Function URL sends", async () => {
    const res = await request(`${echo.url}/a/b%20c?shape=event&x=1&x=2&flag&enc=a%2Bb`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "test-agent/1.0",
        Cookie: ["one=1; two=2", "three=3"],
        "X-Multi": ["a", "b"],
      },
      body: JSON.stringify({ hi: true }),
    });
    assert.equal(res.status, 200);
    const event = JSON.parse(res.body.toString());
    assert.equal(event.version, "2.0");
    assert.equal(event.routeKey, "$default");
    assert.equal(event.rawPath, "/a/b%20c");
    assert.equal(event.rawQueryString, "shape=event&x=1&x=2&flag&enc=a%2Bb");
    assert.deepEqual(event.queryStringParameters, { shape: "event", x: "1,2", flag: "", enc: "a+b" });
    assert.deepEqual(event.cookies, ["one=1", "two=2", "three=3"]);
    assert.equal(event.headers.cookie, undefined, "cookies move out of the headers");
    assert.equal(event.headers["x-multi"], "a,b");
    assert.equal(event.headers["user-agent"], "test-agent/1.0");
    assert.equal(event.headers["content-type"], "application/json");
    for (const name of Object.keys(event.headers)) assert.equal(name, name.toLowerCase());
    assert.equal(event.body, '{"hi":true}');
    assert.equal(event.isBase64Encoded, false);

    const context = event.requestContext;
    assert.equal(context.accountId, "anonymous");
    assert.match(context.apiId, /^[0-9a-f]{32}$/);
    assert.equal(context.domainName, "127.0.0.1");
    assert.equal(context.domainPrefix, "127");
    assert.deepEqual(context.http, {
      method: "POST",
      path: "/a/b%20c",
      protocol: "HTTP/1.1",
      sourceIp: "127.0.0.1",
      userAgent: "test-agent/1.0",
    });
    assert.equal(context.requestId, res.headers["x-amzn-requestid"]);
    assert.equal(context.routeKey, "$default");
    assert.equal(context.stage, "$default");
    assert.match(context.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(Math.abs(context.timeEpoch - Date.now()) < 60_000);
  });

  test("binary bodies are base64; requests without query or cookies omit those fields", async () => {
    const res = await request(`${echo.url}/bin?shape=event`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([0, 159, 255]),
    });
    const event = JSON.parse(res.body.toString());
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(event.body, "base64")], [0, 159, 255]);
    assert.equal(event.cookies, undefined);

    const plain = JSON.parse((await request(`${echo.url}/x?shape=event`)).body.toString());
    assert.equal(plain.body, undefined);
    assert.equal(plain.isBase64Encoded, false);
  });

  test("Runtime API answers InvalidRequestID and InvalidFunctionResponseMode; context and env as Lambda's", async () => {
    const probe = await FunctionUrlServer.start({
      handler: fixture("probe.handler"),
      invokeMode: "BUFFERED",
      memoryMb: 512,
      timeoutSeconds: 20,
      env: { CUSTOM: "custom-value" },
      log: logs.log,
    });
    try {
      const first = JSON.parse((await request(probe.url)).body.toString());
      assert.equal(first.unknownId.status, 400);
      assert.equal(first.unknownId.body.errorType, "InvalidRequestID");
      assert.equal(first.badMode.status, 400);
      assert.equal(first.badMode.body.errorType, "InvalidFunctionResponseMode");
      assert.equal(first.context.functionVersion, "$LATEST");
      assert.equal(first.context.memoryLimitInMB, "512");
      assert.match(first.context.invokedFunctionArn, /^arn:aws:lambda:us-east-1:\d{12}:function:function$/);
      assert.ok(first.context.remainingMs > 15_000 && first.context.remainingMs <= 20_000);
      assert.deepEqual(first.env, {
        TZ: ":UTC",
        AWS_REGION: "us-east-1",
        LAMBDA_TASK_ROOT: fixture(""),
        CUSTOM: "custom-value",
      });

      // The second invocation posts a response for the first one's id, already answered.
      const second = JSON.parse((await request(probe.url)).body.toString());
      assert.equal(second.answered.status, 400);
      assert.equal(second.answered.body.errorType, "InvalidRequestID");
    } finally {
      await probe.close();
    }
  });
});
