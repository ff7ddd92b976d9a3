import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamResponseEvent,
  LambdaClient,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { FunctionUrlServer } from "../src/index.ts";
import { fixture, logCollector } from "./helpers.ts";

const FUNCTION_NAME = "invoke-fixture";

/** One emulator per handler export, all with the same function name. */
async function startFor(exportName: string, logs = logCollector()): Promise<FunctionUrlServer> {
  return FunctionUrlServer.start({
    handler: fixture(`invoke.${exportName}`),
    functionName: FUNCTION_NAME,
    timeoutSeconds: 10,
    log: logs.log,
  });
}

/** The real SDK client, pointed at the emulator. Credentials are needed to sign, not checked. */
function clientFor(server: FunctionUrlServer): LambdaClient {
  return new LambdaClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** A URL the handler blocks on until the test opens it. */
async function startGate(): Promise<{ url: string; open: () => void; opened: () => boolean; close: () => void }> {
  let open!: () => void;
  let isOpen = false;
  const gateOpened = new Promise<void>((resolve) => (open = resolve));
  const gate = http.createServer((_req, res) => {
    void gateOpened.then(() => res.end("open"));
  });
  await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`,
    open: () => {
      isOpen = true;
      open();
    },
    opened: () => isOpen,
    close: () => gate.close(),
  };
}

describe("Lambda Invoke API through @aws-sdk/client-lambda", () => {
  const servers: Record<string, FunctionUrlServer> = {};
  const clients: LambdaClient[] = [];
  before(async () => {
    for (const name of ["paced", "throwsAfterWriting", "sized", "plain"]) servers[name] = await startFor(name);
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });
  const client = (name: string) => {
    const server = servers[name];
    assert.ok(server);
    const created = clientFor(server);
    clients.push(created);
    return created;
  };

  test("InvokeWithResponseStream: each write arrives as a PayloadChunk while the handler still runs", async () => {
    const gate = await startGate();
    try {
      const response = await client("paced").send(
        new InvokeWithResponseStreamCommand({
          FunctionName: FUNCTION_NAME,
          Payload: payload({ words: ["one", "two", "three"], gate: gate.url }),
        }),
      );
      assert.equal(response.StatusCode, 200);
      assert.equal(response.ExecutedVersion, "$LATEST");
      assert.equal(response.ResponseStreamContentType, "application/octet-stream");
      const seen: string[] = [];
      assert.ok(response.EventStream);
      for await (const event of response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
        if (event.PayloadChunk) {
          seen.push(`${gate.opened() ? "after" : "before"}-end:${text(event.PayloadChunk.Payload)}`);
          // The handler cannot end before the gate opens: three chunks arrived while it was running.
          if (seen.length === 3) gate.open();
        } else if (event.InvokeComplete) {
          seen.push(`complete:${JSON.stringify(event.InvokeComplete)}`);
        }
      }
      assert.deepEqual(seen, ["before-end:one|", "before-end:two|", "before-end:three|", "complete:{}"]);
    } finally {
      gate.open();
      gate.close();
    }
  });

  test("InvokeWithResponseStream: an error after the first write travels in InvokeComplete", async () => {
    const response = await client("throwsAfterWriting").send(
      new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: payload({}) }),
    );
    assert.equal(response.StatusCode, 200);
    const events: InvokeWithResponseStreamResponseEvent[] = [];
    for await (const event of response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
      events.push(event);
    }
    assert.equal(events.length, 2);
    assert.equal(text(events[0]?.PayloadChunk?.Payload), "partial|");
    assert.equal(events[1]?.InvokeComplete?.ErrorCode, "RangeError");
    assert.equal(events[1]?.InvokeComplete?.ErrorDetails, "broke after writing");
  });

  test("InvokeWithResponseStream with LogType Tail: the last 4 KB of the log, base64, in InvokeComplete", async () => {
    const response = await client("paced").send(
      new InvokeWithResponseStreamCommand({
        FunctionName: FUNCTION_NAME,
        LogType: "Tail",
        Payload: payload({ words: ["a"] }),
      }),
    );
    let logResult: string | undefined;
    for await (const event of response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
      if (event.InvokeComplete) logResult = event.InvokeComplete.LogResult;
    }
    const log = Buffer.from(logResult ?? "", "base64").toString("utf8");
    const lines = log.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^START RequestId: \S+ Version: \$LATEST$/);
    assert.ok(lines.some((line) => line.endsWith("paced: writing 1 words")));
    assert.match(lines.at(-2) ?? "", /^END RequestId: /);
    assert.match(lines.at(-1) ?? "", /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms/);
  });

  test("Invoke of a streaming handler returns the whole payload", async () => {
    const response = await client("paced").send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: payload({ words: ["one", "two", "three"] }) }),
    );
    assert.equal(response.StatusCode, 200);
    assert.equal(response.FunctionError, undefined);
    assert.equal(response.ExecutedVersion, "$LATEST");
    assert.equal(text(response.Payload), "one|two|three|");
  });

  test("Invoke of a handler that throws: 200 with X-Amz-Function-Error and the error object", async () => {
    const response = await client("plain").send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: payload({ fail: true }), LogType: "Tail" }),
    );
    assert.equal(response.StatusCode, 200);
    assert.equal(response.FunctionError, "Unhandled");
    const error = JSON.parse(text(response.Payload)) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, "Error");
    assert.equal(error.errorMessage, "plain failure");
    const log = Buffer.from(response.LogResult ?? "", "base64").toString("utf8");
    assert.match(log, /plain: called/);
  });

  test("Invoke of a plain handler returns its JSON; a response over 6 MB fails as Lambda fails", async () => {
    const ok = await client("plain").send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: payload({ n: 1 }) }),
    );
    assert.deepEqual(JSON.parse(text(ok.Payload)), { echo: { n: 1 } });

    const big = await client("sized").send(
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: payload({ bytes: 7 * 1024 * 1024 }) }),
    );
    assert.equal(big.StatusCode, 200);
    assert.equal(big.FunctionError, "Unhandled");
    assert.deepEqual(JSON.parse(text(big.Payload)), {
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    });
  });

  test("a request payload over 6 MB is refused with RequestTooLargeException (413)", async () => {
    const oversized = payload({ words: ["x".repeat(6 * 1024 * 1024)] });
    for (const command of [
      new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: oversized }),
      new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: oversized }),
    ]) {
      await assert.rejects(
        client("paced").send(command as InvokeCommand),
        (error: unknown) =>
          error instanceof RequestTooLargeException &&
          error.$metadata.httpStatusCode === 413 &&
          /6291456 bytes/.test(error.message),
      );
    }
  });

  test("another function name or a published version is ResourceNotFoundException (404)", async () => {
    for (const FunctionName of ["other-function", `${FUNCTION_NAME}:7`]) {
      await assert.rejects(
        client("plain").send(new InvokeCommand({ FunctionName, Payload: payload({}) })),
        (error: unknown) =>
          error instanceof ResourceNotFoundException &&
          error.$metadata.httpStatusCode === 404 &&
          error.message.startsWith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:"),
      );
    }
    const byArn = await client("plain").send(
      new InvokeCommand({
        FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`,
        Qualifier: "$LATEST",
        Payload: payload({ n: 2 }),
      }),
    );
    assert.deepEqual(JSON.parse(text(byArn.Payload)), { echo: { n: 2 } });
  });

  test("InvokeWithResponseStream of a handler that is not streamified: its JSON in one PayloadChunk", async () => {
    const response = await client("plain").send(
      new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: payload({ n: 3 }) }),
    );
    const events: InvokeWithResponseStreamResponseEvent[] = [];
    for await (const event of response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
      events.push(event);
    }
    assert.equal(events.length, 2);
    assert.deepEqual(JSON.parse(text(events[0]?.PayloadChunk?.Payload)), { echo: { n: 3 } });
    assert.deepEqual(events[1]?.InvokeComplete, {});
  });
});

describe("Lambda Invoke API limits", () => {
  test("a timeout ends the stream with Sandbox.Timedout", async () => {
    const server = await FunctionUrlServer.start({
      handler: fixture("invoke.hangs"),
      functionName: FUNCTION_NAME,
      timeoutSeconds: 1,
      concurrency: 1,
      log: () => {},
    });
    const lambda = clientFor(server);
    try {
      const response = await lambda.send(
        new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: payload({}) }),
      );
      const iterator = (response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>)[
        Symbol.asyncIterator
      ]();
      const first = await iterator.next();
      assert.equal(text(first.value?.PayloadChunk?.Payload), "started|");
      const last = await iterator.next();
      assert.equal(last.value?.InvokeComplete?.ErrorCode, "Sandbox.Timedout");
      assert.match(last.value?.InvokeComplete?.ErrorDetails ?? "", /Task timed out after 1\.00 seconds$/);
      assert.equal((await iterator.next()).done, true);
    } finally {
      lambda.destroy();
      await server.close();
    }
  });

  test("at the concurrency limit: TooManyRequestsException", async () => {
    // The function never ends and its timeout is far off: the one environment stays busy until the
    // server closes, so the second call is refused however slowly it is made.
    const server = await FunctionUrlServer.start({
      handler: fixture("invoke.hangs"),
      functionName: FUNCTION_NAME,
      timeoutSeconds: 900,
      concurrency: 1,
      log: () => {},
    });
    const lambda = clientFor(server);
    try {
      const response = await lambda.send(
        new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: payload({}) }),
      );
      const iterator = (response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>)[
        Symbol.asyncIterator
      ]();
      const first = await iterator.next();
      assert.equal(text(first.value?.PayloadChunk?.Payload), "started|");
      await assert.rejects(
        lambda.send(new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: payload({}) })),
        (error: unknown) =>
          error instanceof TooManyRequestsException &&
          error.$metadata.httpStatusCode === 429 &&
          error.Reason === "ReservedFunctionConcurrentInvocationLimitExceeded",
      );
      // The hanging stream ends when the server closes; what it says then is not this test's concern.
      iterator.next().catch(() => {});
    } finally {
      lambda.destroy();
      await server.close();
    }
  });
});
