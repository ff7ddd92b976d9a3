#!/usr/bin/env node
// Plain Node: the CLI is the package's built JavaScript (npm run build writes dist/).
import { main } from "../dist/cli.js";

// exitCode rather than process.exit(): a large --json report piped to another process must be
// fully flushed before Node exits.
process.exitCode = await main(process.argv.slice(2));
