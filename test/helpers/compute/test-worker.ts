import { parentPort } from "node:worker_threads";
import { serveTasks } from "../../../src/compute/protocol.js";
import { TEST_TASKS } from "./test-tasks.js";

/** A worker entry for the pool's tests: TEST_TASKS, through the same `serveTasks` as the review worker. */

serveTasks(TEST_TASKS, {
  echo: async ({ text, log: shouldLog }, log) => {
    if (shouldLog) log.warn({ text }, "echoing");
    return text;
  },
  spin: async ({ ms }) => {
    const started = Date.now();
    while (Date.now() - started < ms) {
      // Busy: nothing else runs on this thread until it is done.
    }
    return Date.now() - started;
  },
  fail: async ({ name, message }) => {
    const error = new Error(message);
    error.name = name;
    throw error;
  },
  crash: async ({ how }) => {
    if (how === "exit") process.exit(3);
    if (how === "uncaught") {
      setTimeout(() => {
        throw new Error("boom outside the task");
      }, 0);
    } else {
      const hoard: string[][] = [];
      for (;;) hoard.push(Array.from({ length: 100_000 }, (_, i) => `${i}-${hoard.length}`));
    }
    return new Promise<string>(() => undefined);
  },
  misbehave: async ({ how }) => {
    if (how === "shape") parentPort?.postMessage({ hello: "world" });
    if (how === "other-id") parentPort?.postMessage({ type: "result", id: 987_654, result: 1 });
    if (how === "result") return "not a number" as unknown as number;
    return new Promise<number>(() => undefined);
  },
});
