#!/usr/bin/env node
// The package ships TypeScript source; tsx's loader lets the CLI run it without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
await main(process.argv.slice(2));
