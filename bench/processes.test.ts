// Real processes, read from /proc: a child that starts a grandchild, the way lambda-url starts the
// function's execution environments.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { firstMatch, peakRssMb, processTree } from "./processes";

describe("bench processes", { skip: process.platform !== "linux" && "reads /proc" }, () => {
  it("finds a process's descendants and their peak RSS", async () => {
    const script = `
      const { spawn } = require("node:child_process");
      const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      console.log("grandchild=" + grandchild.pid);
      process.on("SIGTERM", () => { grandchild.kill(); process.exit(0); });
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const grandchild = Number(await firstMatch(child, /^grandchild=(\d+)/, "the test's child"));
      const tree = await processTree(child.pid!);
      assert.deepEqual(tree, [child.pid, grandchild]);
      assert.deepEqual(await processTree(grandchild), [grandchild]);
      const peak = await peakRssMb(tree);
      // A Node process holds tens of MB resident; this proves VmHWM was read, not its size.
      assert.ok(peak !== undefined && peak > 1, `peak ${peak}`);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });

  it("has no peak RSS for processes that are gone", async () => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await once(child, "exit");
    assert.equal(await peakRssMb([child.pid!]), undefined);
  });

  it("rejects with the child's last lines when it exits before it is ready", async () => {
    const child = spawn(process.execPath, ["-e", "console.error('no port'); process.exit(3)"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await assert.rejects(firstMatch(child, /ready at (\S+)/, "the server"), /the server exited \(code 3\).*\nno port/s);
  });
});
