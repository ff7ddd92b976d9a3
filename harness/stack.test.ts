import assert from "node:assert/strict";
import { test } from "node:test";
import { NODE_RUNTIMES } from "@firstbyte/lambda-url";
import { deployedRuntime } from "./stack";

test("the local function runs on the runtime sst.config.ts deploys", () => {
  const runtime = deployedRuntime();
  assert.ok(runtime in NODE_RUNTIMES);
});
