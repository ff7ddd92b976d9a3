#!/usr/bin/env node
// Plain Node: the CLI is the package's built JavaScript (npm run build writes dist/).
import { main } from "../dist/cli.js";

await main(process.argv.slice(2));
