// `npm run infra:doc`: records the dev and production stacks and writes docs/infra.md.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderInfraDoc } from "./infra-doc";
import { PrerequisiteError, ROOT, recordStack } from "./record-stack";

try {
  const recordings = await Promise.all(["dev", "production"].map((stage) => recordStack(stage)));
  writeFileSync(path.join(ROOT, "docs", "infra.md"), await renderInfraDoc(recordings));
  console.log(
    `infra:doc: docs/infra.md written (${recordings.map((r) => `${r.stage}: ${r.resources.length} registrations`).join(", ")})`,
  );
} catch (error) {
  console.error(`infra:doc: ${error instanceof PrerequisiteError ? error.message : String(error)}`);
  process.exit(1);
}
