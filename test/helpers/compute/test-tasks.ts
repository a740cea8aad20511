import { z } from "zod";
import type { TaskSpec } from "../../../src/compute/protocol.js";

/** Tasks of the test worker (test-worker.ts): well-behaved ones, and each way a thread can misbehave. */
export const TEST_TASKS = {
  /** Answers its text, logging it first when asked. */
  echo: { input: z.object({ text: z.string(), log: z.boolean() }), result: z.string() },
  /** Keeps its thread busy (synchronously) for `ms`, then answers how long it ran. */
  spin: { input: z.object({ ms: z.number() }), result: z.number() },
  /** Throws an error with this name and message. */
  fail: { input: z.object({ name: z.string(), message: z.string() }), result: z.string() },
  /** Ends its thread: an uncaught error outside the task, process.exit, or running out of memory. */
  crash: { input: z.object({ how: z.enum(["uncaught", "exit", "oom"]) }), result: z.string() },
  /** Breaks the protocol: a reply of the wrong shape, for another task, or a result its schema rejects. */
  misbehave: { input: z.object({ how: z.enum(["shape", "other-id", "result"]) }), result: z.number() },
} as const satisfies Readonly<Record<string, TaskSpec>>;

export type TestTasks = typeof TEST_TASKS;
