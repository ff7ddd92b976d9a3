#!/usr/bin/env node
// The package ships TypeScript source (see the workspace's package convention), so the launcher
// registers tsx's ESM loader before importing the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
// exitCode rather than process.exit(): a large --json report piped to another process must be
// fully flushed before Node exits.
process.exitCode = await main(process.argv.slice(2));
