import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, type ScalarAttributeType } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";

/** A Scan request that reached the server and is being kept from it by a gate. */
export interface HeldScan {
  /** Resolves when the client drops the connection before any answer (what an abort does). */
  dropped: Promise<void>;
}

export interface LocalDynamo {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Scan requests that reached the server so far. */
  scansReceived(): number;
  /** Resolves once the server has received `count` Scan requests in all. */
  scansArrived(count: number): Promise<void>;
  /**
   * Decides for each arriving Scan (numbered from 1) whether dynalite answers it or it is held
   * unanswered; undefined answers all.
   */
  holdScan: ((arrival: number) => boolean) | undefined;
  held: HeldScan[];
  close(): Promise<void>;
}

const SCAN_TARGET = "DynamoDB_20120810.Scan";

/**
 * Starts the embedded DynamoDB engine with a gate in front of it: a loopback proxy that counts the
 * Scan requests passing through and holds the ones `holdScan` picks, so a test can stop a page
 * mid-scan without touching the SDK. The clients talk to the gate.
 */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const engine = await startEmbeddedDynamoDB();
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const upstream = http.request(`${engine.endpoint}${req.url ?? "/"}`, { method: req.method, headers: req.headers });
    upstream.once("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once("error", () => res.destroy());
    // A client that gives up mid-answer (an abort) closes the engine's side too.
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  let received = 0;
  const arrivalWaiters: Array<{ count: number; resolve: () => void }> = [];
  const gate = http.createServer((req, res) => {
    if (req.headers["x-amz-target"] !== SCAN_TARGET) return forward(req, res);
    received++;
    const arrival = received;
    for (const waiter of arrivalWaiters.filter((w) => received >= w.count)) {
      arrivalWaiters.splice(arrivalWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (local.holdScan?.(arrival)) {
      local.held.push({ dropped: new Promise((resolve) => res.once("close", () => resolve())) });
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
  const { port } = gate.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    // Default retry settings on purpose: an aborted request must not be retried.
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });

  const local: LocalDynamo = {
    client,
    doc: DynamoDBDocumentClient.from(client),
    scansReceived: () => received,
    scansArrived: (count) =>
      received >= count ? Promise.resolve() : new Promise((resolve) => arrivalWaiters.push({ count, resolve })),
    holdScan: undefined,
    held: [],
    close: async () => {
      client.destroy();
      gate.closeAllConnections();
      await new Promise<void>((resolve, reject) => gate.close((error) => (error ? reject(error) : resolve())));
      await engine.close();
    },
  };
  return local;
}

/** Creates a table keyed by `hashKey` (and `rangeKey`), e.g. createTable(db, "t", ["id", "S"]). */
export async function createTable(
  local: LocalDynamo,
  table: string,
  hashKey: [string, ScalarAttributeType],
  rangeKey?: [string, ScalarAttributeType],
): Promise<void> {
  const keys = rangeKey === undefined ? [hashKey] : [hashKey, rangeKey];
  await local.client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: keys.map(([AttributeName], i) => ({ AttributeName, KeyType: i === 0 ? "HASH" : "RANGE" })),
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/** Writes items with BatchWriteItem, 25 at a time (its per-request maximum), retrying unprocessed ones. */
export async function putItems(
  local: LocalDynamo,
  table: string,
  items: Array<Record<string, unknown>>,
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests: Array<{ PutRequest: { Item: Record<string, unknown> } }> | undefined = items
      .slice(start, start + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    while (requests !== undefined && requests.length > 0) {
      const output = await local.doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = output.UnprocessedItems?.[table] as typeof requests;
    }
  }
}
