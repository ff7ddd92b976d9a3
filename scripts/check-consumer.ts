// `npm run test:consumer`: install the packed packages into an empty project in the temp folder and
// use them there with plain Node (package-check/consumer.ts). KEEP=1 keeps the project;
// NEXT_APP=0 leaves out the OpenNext build of a one-page Next.js app (minutes of the check's time).
import { checkConsumer } from "../package-check/consumer";

try {
  checkConsumer({ keep: process.env.KEEP === "1", nextApp: process.env.NEXT_APP !== "0" });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
