// The embedded DynamoDB as a process of its own, for the benchmark: in the measuring process its
// garbage collection (100,000 items live in memory) would pause the very client that timestamps
// the responses. Prints `endpoint=http://127.0.0.1:PORT` once listening; stops on SIGTERM/SIGINT.
import { startEmbeddedDynamoDB } from "@firstbyte/dynamo-local";

const dynamodb = await startEmbeddedDynamoDB();
console.log(`endpoint=${dynamodb.endpoint}`);
const stop = async () => {
  await dynamodb.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
