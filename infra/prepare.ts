// First step of `npm run infra:test` and `npm run infra:doc` (after infra:check has installed
// .sst/platform): the Lambda bundle the stack deploys, built when missing or stale exactly as
// `npm start` and the e2e suite build it, so a fresh clone needs no manual step.
import { buildLambdaIfStale } from "../harness/stack";
import { checkPrerequisites, PrerequisiteError } from "./record-stack";

try {
  await buildLambdaIfStale((line) => console.log(`infra:test: ${line}`));
  checkPrerequisites();
} catch (error) {
  const reason =
    error instanceof PrerequisiteError ? error.message : error instanceof Error ? error.message : String(error);
  console.error(`infra:test: ${reason}`);
  process.exit(1);
}
