// Real SDK clients against dynalite through the fault proxy: the SDK's retries and error parsing
// meet the faults exactly as they would meet DynamoDB's.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import {
  type EmbeddedDynamoDB,
  type FaultProxy,
  FaultRuleError,
  faultProxyClient,
  startEmbeddedDynamoDB,
  startFaultProxy,
} from "../src/index.ts";

const TABLE = "things";
let dynamodb: EmbeddedDynamoDB;
let proxy: FaultProxy;
let client: DynamoDBClient;

function newClient(maxAttempts?: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

const scan = (c = client) => c.send(new ScanCommand({ TableName: TABLE }));

before(async () => {
  dynamodb = await startEmbeddedDynamoDB();
  proxy = await startFaultProxy({ target: dynamodb.endpoint });
  client = newClient();
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (const id of ["a", "b", "c"])
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id } } }));
  await proxy.resetCounts();
});

afterEach(async () => {
  await proxy.clearFaults();
  await proxy.resetCounts();
});

after(async () => {
  client.destroy();
  await proxy.close();
  await dynamodb.close();
});

describe("fault proxy", () => {
  it("forwards every request to the engine and counts them by operation", async () => {
    const result = await scan();
    assert.equal(result.Count, 3);
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: "b" } } }));
    assert.equal(item.Item?.id?.S, "b");
    assert.deepEqual((await proxy.state()).counts, {
      Scan: { received: 1, faulted: 0 },
      GetItem: { received: 1, faulted: 0 },
    });
  });

  it("answers HTTP 500 after N requests; the SDK retries, then throws InternalServerError", async () => {
    await proxy.setFaults([{ operation: "Scan", after: 2, fault: { kind: "http500" } }]);
    await scan();
    await scan();
    const failure = await scan().then(
      () => assert.fail("the third Scan should fail"),
      (error: unknown) => error as Error & { $metadata: { httpStatusCode?: number; attempts?: number } },
    );
    assert.equal(failure.name, "InternalServerError");
    assert.equal(failure.$metadata.httpStatusCode, 500);
    // The SDK retried (its default attempts for DynamoDB), and every attempt was faulted.
    const attempts = failure.$metadata.attempts ?? 0;
    assert.ok(attempts > 1, `the SDK retried a 500 (${attempts} attempts)`);
    assert.deepEqual((await proxy.state()).counts.Scan, { received: 2 + attempts, faulted: attempts });
    // Other operations are not touched by a Scan rule.
    await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: "a" } } }));
    assert.deepEqual((await proxy.state()).counts.GetItem, { received: 1, faulted: 0 });
  });

  it("throttles like DynamoDB: two throttled Scans are recovered by the SDK's retries", async () => {
    await proxy.setFaults([{ operation: "Scan", times: 2, fault: { kind: "throttle" } }]);
    const result = await scan();
    assert.equal(result.Count, 3);
    assert.equal(result.$metadata.attempts, 3);
    assert.deepEqual((await proxy.state()).counts.Scan, { received: 3, faulted: 2 });
  });

  it("persistent throttling surfaces as ProvisionedThroughputExceededException", async () => {
    await proxy.setFaults([{ fault: { kind: "throttle" } }]);
    const single = newClient(1);
    try {
      await assert.rejects(scan(single), { name: "ProvisionedThroughputExceededException" });
    } finally {
      single.destroy();
    }
  });

  it("refuses like IAM: AccessDeniedException at once, not retried", async () => {
    await proxy.setFaults([{ operation: "Scan", fault: { kind: "denied" } }]);
    await assert.rejects(scan(), (error: Error & { $metadata?: { attempts?: number; httpStatusCode?: number } }) => {
      assert.equal(error.name, "AccessDeniedException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.$metadata?.attempts, 1);
      return true;
    });
    assert.deepEqual((await proxy.state()).counts.Scan, { received: 1, faulted: 1 });
  });

  it("resets the connection; the SDK sees a network error", async () => {
    await proxy.setFaults([{ operation: "Scan", fault: { kind: "reset" } }]);
    const single = newClient(1);
    try {
      await assert.rejects(scan(single), (error: Error & { code?: string }) => {
        assert.match(`${error.code ?? ""} ${error.message}`, /ECONNRESET|socket hang up/);
        return true;
      });
    } finally {
      single.destroy();
    }
    // A later request on a fresh connection goes through once the rule is gone.
    await proxy.clearFaults();
    assert.equal((await scan()).Count, 3);
  });

  it("delays requests by at least the latency, and answers them in full", async () => {
    await proxy.setFaults([{ operation: "GetItem", fault: { kind: "latency", ms: 200 } }]);
    const started = performance.now();
    const item = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: "a" } } }));
    // A lower bound only: the proxy waits at least that long; a busy machine may add to it.
    assert.ok(performance.now() - started >= 195, "answered no sooner than the latency (less timer rounding)");
    assert.equal(item.Item?.id?.S, "a");
    assert.deepEqual((await proxy.state()).counts.GetItem, { received: 1, faulted: 1 });
  });

  it("a held request does not stop a later one: the later answers first, by construction", async () => {
    await proxy.setFaults([{ operation: "GetItem", fault: { kind: "hold" } }]);
    const order: string[] = [];
    const slow = client
      .send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: "a" } } }))
      .then(() => order.push("GetItem"));
    await proxy.whenHeld(1);
    await scan().then(() => order.push("Scan"));
    await proxy.release();
    await slow;
    assert.deepEqual(order, ["Scan", "GetItem"]);
  });

  it("is controlled over HTTP from another process", async () => {
    const control = faultProxyClient(proxy.controlUrl);
    await control.setFaults([{ operation: "Scan", after: 1, times: 1, fault: { kind: "http500" } }]);
    assert.deepEqual((await control.state()).rules, [
      { operation: "Scan", after: 1, times: 1, fault: { kind: "http500" } },
    ]);
    const single = newClient(1);
    try {
      await scan(single);
      await assert.rejects(scan(single), { name: "InternalServerError" });
      assert.equal((await scan(single)).Count, 3);
    } finally {
      single.destroy();
    }
    assert.deepEqual((await control.state()).counts.Scan, { received: 3, faulted: 1 });
    await control.resetCounts();
    await control.clearFaults();
    assert.deepEqual(await control.state(), { rules: [], counts: {}, held: 0 });
  });

  it("holds a request until it is released: the answer cannot come before the release", async () => {
    const control = faultProxyClient(proxy.controlUrl);
    await control.setFaults([{ operation: "Scan", after: 1, times: 1, fault: { kind: "hold" } }]);
    assert.equal((await scan()).Count, 3, "the first Scan passes");
    let answered = false;
    const heldScan = scan().then((result) => {
      answered = true;
      return result;
    });
    await control.whenHeld(1);
    assert.equal((await control.state()).held, 1);
    // The gate, not the clock: the held Scan is unanswered until released, however long that is.
    assert.equal(answered, false);
    assert.equal(await control.release(), 1);
    assert.equal((await heldScan).Count, 3);
    assert.equal((await control.state()).held, 0);
    assert.deepEqual((await control.state()).counts.Scan, { received: 2, faulted: 1 });
  });

  it("clearFaults releases what is held; whenHeld gives up after its timeout", async () => {
    const control = faultProxyClient(proxy.controlUrl);
    await assert.rejects(control.whenHeld(1, 50), (error: Error) => {
      assert.ok(error instanceof FaultRuleError);
      assert.match(error.message, /no 1 request\(s\) held within 50 ms/);
      return true;
    });
    await proxy.setFaults([{ operation: "Scan", fault: { kind: "hold" } }]);
    const both = Promise.all([scan(), scan()]);
    await proxy.whenHeld(2);
    await proxy.clearFaults();
    assert.deepEqual(
      (await both).map((result) => result.Count),
      [3, 3],
    );
  });

  it("answers a BatchWriteItem with every item unprocessed and writes nothing", async () => {
    await proxy.setFaults([{ operation: "BatchWriteItem", times: 1, fault: { kind: "unprocessed" } }]);
    const RequestItems = {
      [TABLE]: [{ PutRequest: { Item: { id: { S: "d" } } } }, { PutRequest: { Item: { id: { S: "e" } } } }],
    };
    const first = await client.send(new BatchWriteItemCommand({ RequestItems }));
    assert.deepEqual(first.UnprocessedItems, RequestItems);
    assert.equal((await scan()).Count, 3, "nothing was written");
    // The next one goes through: the caller's retry of the unprocessed items is what writes them.
    const second = await client.send(new BatchWriteItemCommand({ RequestItems: first.UnprocessedItems! }));
    assert.deepEqual(second.UnprocessedItems, {});
    assert.equal((await scan()).Count, 5);
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [TABLE]: ["d", "e"].map((id) => ({ DeleteRequest: { Key: { id: { S: id } } } })) },
      }),
    );
  });

  it("answers a BatchGetItem with every key unprocessed", async () => {
    await proxy.setFaults([{ operation: "BatchGetItem", fault: { kind: "unprocessed" } }]);
    const RequestItems = { [TABLE]: { Keys: [{ id: { S: "a" } }] } };
    const result = await client.send(new BatchGetItemCommand({ RequestItems }));
    assert.deepEqual(result.UnprocessedKeys, RequestItems);
    assert.deepEqual(result.Responses, {});
  });

  it("refuses a malformed rule with a message naming it", async () => {
    const control = faultProxyClient(proxy.controlUrl);
    await assert.rejects(control.setFaults([{ fault: { kind: "explode" } } as never]), (error: Error) => {
      assert.ok(error instanceof FaultRuleError);
      assert.match(error.message, /rule 0: fault kind must be/);
      return true;
    });
    await assert.rejects(proxy.setFaults([{ fault: { kind: "latency", ms: -1 } }]), FaultRuleError);
    await assert.rejects(proxy.setFaults([{ operation: "Scan", fault: { kind: "unprocessed" } }]), {
      message: /rule 0: "unprocessed" needs "operation": BatchWriteItem or BatchGetItem/,
    });
  });
});
