// One DynamoDB document client per process. Shared by the app (through lib/catalog.ts) and by the
// seed and start scripts, so every caller talks to the endpoint lib/config.ts chose.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type CatalogConfig, config } from "./config";

export function createDocumentClient(
  settings: Pick<CatalogConfig, "endpoint" | "region"> = config(),
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: settings.region,
    endpoint: settings.endpoint,
    // A local engine (dynalite, DynamoDB Local) accepts any credentials; AWS itself uses the
    // default provider chain (the Lambda role on a deployed stage).
    ...(settings.endpoint && isLoopback(settings.endpoint)
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "[::1]" || host.startsWith("127.");
}

let shared: DynamoDBDocumentClient | undefined;

export function documentClient(): DynamoDBDocumentClient {
  shared ??= createDocumentClient();
  return shared;
}
