import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, type ScalarAttributeType } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";

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

/** Starts dynalite on 127.0.0.1 with an ephemeral port and clients pointed at it. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  // createTableMs: 0, or tables stay CREATING for 500 ms (docs/local-setup.md).
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const answer = server.listeners("request")[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners("request");

  let received = 0;
  const arrivalWaiters: Array<{ count: number; resolve: () => void }> = [];
  const local: LocalDynamo = {
    client: undefined as unknown as DynamoDBClient,
    doc: undefined as unknown as DynamoDBDocumentClient,
    scansReceived: () => received,
    scansArrived: (count) =>
      received >= count ? Promise.resolve() : new Promise((resolve) => arrivalWaiters.push({ count, resolve })),
    holdScan: undefined,
    held: [],
    close: async () => {
      local.client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers["x-amz-target"] !== SCAN_TARGET) return answer(req, res);
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
    answer(req, res);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  local.client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    // Default retry settings on purpose: an aborted request must not be retried.
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  local.doc = DynamoDBDocumentClient.from(local.client);
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
