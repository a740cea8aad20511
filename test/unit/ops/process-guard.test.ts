import { describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { guardProcess } from "../../../src/ops/process-guard.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

describe("the process guard", () => {
  test("a detached rejection and an uncaught exception are logged and counted; the process carries on", () => {
    // A real process with Node's default handling, where either fault is fatal without the guard.
    const script = `
      import { pino } from "pino";
      import { guardProcess } from "./src/ops/process-guard.ts";
      const lines = [];
      const guard = guardProcess(pino({}, { write: (l) => lines.push(JSON.parse(l)) }));
      Promise.reject(new Error("detached"));
      setTimeout(() => { throw new Error("thrown in a timer"); }, 0);
      setTimeout(() => process.stdout.write(JSON.stringify({ counts: guard.counts(), messages: lines.map((l) => l.err.message) })), 50);
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ counts: { unhandled_rejection: 1, uncaught_exception: 1 }, messages: ["detached", "thrown in a timer"] });
  });

  test("dispose removes its handlers", () => {
    const before = process.listenerCount("unhandledRejection");
    const guard = guardProcess(pino({ level: "silent" }));
    expect(process.listenerCount("unhandledRejection")).toBe(before + 1);
    guard.dispose();
    expect(process.listenerCount("unhandledRejection")).toBe(before);
  });
});
