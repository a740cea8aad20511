import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { ComputePoolClosedError, ComputeProtocolError, ComputeTaskError, ComputeTimeoutError, ComputeWorkerCrashedError } from "../../../src/compute/errors.js";
import { WorkerPool, type WorkerPoolOptions } from "../../../src/compute/worker-pool.js";
import { WindowBudgetError } from "../../../src/context/errors.js";
import { silentLog } from "../../helpers/github.js";
import { TEST_TASKS, type TestTasks } from "../../helpers/compute/test-tasks.js";

/**
 * The worker-thread pool against a test worker (test/helpers/compute/) that
 * behaves or misbehaves on request: results, bounded concurrency, abort,
 * time limits, crashes, protocol violations and task errors.
 */

const SCRIPT = new URL("../../helpers/compute/test-worker.ts", import.meta.url);
const pools: WorkerPool<TestTasks>[] = [];

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<TestTasks> {
  const created = new WorkerPool(TEST_TASKS, { script: SCRIPT, threads: 1, taskTimeoutMs: 60_000, log: silentLog, ...options });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe("running tasks", () => {
  test("a task runs on a thread and its result comes back checked", async () => {
    const p = pool();
    await expect(p.run("echo", { text: "hello", log: false })).resolves.toBe("hello");
    expect(p.load).toEqual({ threads: 1, running: 0, queued: 0 });
  });

  test("the task's log lines reach the caller's logger with its bindings", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }).child({ review: 7 });
    await pool().run("echo", { text: "hi", log: true }, { log });
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: "echoing", text: "hi", review: 7, thread: "compute" })]);
  });

  test("at most `threads` tasks run at once; the event loop stays free while they spin", async () => {
    const p = pool({ threads: 2 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const running = [p.run("spin", { ms: 600 }), p.run("spin", { ms: 600 }), p.run("spin", { ms: 600 })];
    await new Promise((r) => setTimeout(r, 100));
    expect(p.load).toMatchObject({ running: 2, queued: 1 });
    await Promise.all(running);
    delay.disable();
    // Two rounds: the third task waited for a free thread.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_150);
    // 1.8 s of synchronous work, and the loop never waited anywhere near that long (generous for a loaded machine).
    expect(delay.max / 1e6).toBeLessThan(400);
  });
});

describe("abort and time limits", () => {
  test("aborting a running task stops its thread; the next task gets a fresh one", async () => {
    const p = pool();
    const controller = new AbortController();
    const spinning = p.run("spin", { ms: 30_000 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    const reason = new Error("superseded");
    const aborted = performance.now();
    controller.abort(reason);
    await expect(spinning).rejects.toBe(reason);
    expect(performance.now() - aborted).toBeLessThan(2_000);
    await expect(p.run("echo", { text: "after", log: false })).resolves.toBe("after");
  });

  test("a waiting task that is aborted leaves the queue and never runs", async () => {
    const p = pool();
    const first = p.run("spin", { ms: 300 });
    const controller = new AbortController();
    const second = p.run("spin", { ms: 30_000 }, { signal: controller.signal });
    controller.abort(new Error("no longer needed"));
    await expect(second).rejects.toThrow("no longer needed");
    expect(p.load.queued).toBe(0);
    await expect(first).resolves.toBeGreaterThanOrEqual(300);
  });

  test("an already aborted signal fails at once", async () => {
    await expect(pool().run("echo", { text: "x", log: false }, { signal: AbortSignal.abort(new Error("gone")) })).rejects.toThrow("gone");
  });

  test("a task over its time limit fails with ComputeTimeoutError and its thread is stopped; waiting does not count", async () => {
    const p = pool({ taskTimeoutMs: 2_500 });
    await p.run("echo", { text: "warm", log: false });
    const first = p.run("spin", { ms: 1_500 });
    const second = p.run("spin", { ms: 1_500 });
    // The second waits ~1.5 s and runs ~1.5 s: over the limit in total, within it on its thread.
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    const error = await p.run("spin", { ms: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeTimeoutError);
    expect((error as Error).message).toContain("LONGVIEW_COMPUTE_TASK_TIMEOUT_MS");
    expect(p.load.threads).toBe(0);
  });
});

describe("a thread that crashes fails only its task, with a typed error", () => {
  test.each([
    ["an uncaught error", "uncaught", /crashed: boom outside the task/],
    ["process.exit", "exit", /crashed: the thread exited with code 3/],
  ] as const)("%s", async (_name, how, message) => {
    const p = pool({ threads: 2 });
    const bystander = p.run("spin", { ms: 500 });
    const error = await p.run("crash", { how }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeWorkerCrashedError);
    expect((error as Error).message).toMatch(message);
    await expect(bystander).resolves.toBeGreaterThanOrEqual(500);
    await expect(p.run("echo", { text: "next", log: false })).resolves.toBe("next");
  });

  test("running out of memory", async () => {
    const p = pool({ resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    const error = await p.run("crash", { how: "oom" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeWorkerCrashedError);
    expect((error as Error).message).toMatch(/memory/i);
    await expect(p.run("echo", { text: "recovered", log: false })).resolves.toBe("recovered");
  });
});

describe("messages the protocol does not allow", () => {
  test.each([
    ["a reply of the wrong shape", "shape", /broke the protocol/],
    ["a reply for another task", "other-id", /reply for task 987654/],
    ["a result its schema rejects", "result", /result does not match its schema/],
  ] as const)("%s fails the task with ComputeProtocolError and replaces the thread", async (_name, how, message) => {
    const p = pool();
    const error = await p.run("misbehave", { how }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeProtocolError);
    expect((error as Error).message).toMatch(message);
    await expect(p.run("echo", { text: "ok", log: false })).resolves.toBe("ok");
  });

  test("input that cannot cross threads fails its task; the thread stays usable", async () => {
    const p = pool();
    const error = await p.run("echo", { text: (() => "x") as unknown as string, log: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeProtocolError);
    expect((error as Error).message).toContain("cannot be sent");
    await expect(p.run("echo", { text: "ok", log: false })).resolves.toBe("ok");
  });

  test("input its schema rejects is refused by the worker", async () => {
    const error = await pool()
      .run("echo", { text: 42 as unknown as string, log: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeTaskError);
    expect((error as Error).message).toContain("invalid input for echo");
  });
});

describe("errors thrown by a task", () => {
  test("a known error class comes back as that class; others as ComputeTaskError with their name", async () => {
    const p = pool({ knownErrors: { WindowBudgetError } });
    const known = await p.run("fail", { name: "WindowBudgetError", message: "no room" }).catch((e: unknown) => e);
    expect(known).toBeInstanceOf(WindowBudgetError);
    expect((known as Error).message).toBe("no room");
    const other = await p.run("fail", { name: "TypeError", message: "x is not a function" }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ComputeTaskError);
    expect(other).toMatchObject({ errorName: "TypeError", message: "x is not a function", task: "fail" });
    // A task error is the task's, not the thread's: the same thread runs the next task.
    expect(p.load.threads).toBe(1);
  });
});

describe("closing", () => {
  test("waiting and running tasks fail with ComputePoolClosedError; later runs are refused", async () => {
    const p = pool();
    const running = p.run("spin", { ms: 30_000 }).catch((e: unknown) => e);
    const waiting = p.run("echo", { text: "never", log: false }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await p.close();
    expect(await running).toBeInstanceOf(ComputePoolClosedError);
    expect(await waiting).toBeInstanceOf(ComputePoolClosedError);
    await expect(p.run("echo", { text: "late", log: false })).rejects.toBeInstanceOf(ComputePoolClosedError);
    expect(p.load.threads).toBe(0);
  });
});

describe("warming and idle threads", () => {
  test("warm() starts the threads before any task; the first task takes a started thread", async () => {
    const p = pool({ threads: 2 });
    p.warm();
    expect(p.load).toEqual({ threads: 2, running: 0, queued: 0 });
    p.warm();
    expect(p.load.threads).toBe(2);
    await expect(p.run("echo", { text: "warm", log: false })).resolves.toBe("warm");
    expect(p.load.threads).toBe(2);
  });

  test("a thread idle for idleTimeoutMs is stopped; the next task starts a new one", async () => {
    const p = pool({ idleTimeoutMs: 200 });
    await p.run("echo", { text: "one", log: false });
    expect(p.load.threads).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(p.load.threads).toBe(0);
    await expect(p.run("echo", { text: "two", log: false })).resolves.toBe("two");
    expect(p.load.threads).toBe(1);
  });
});
