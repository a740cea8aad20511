import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { Logger } from "pino";
import { z } from "zod";
import { ComputePoolClosedError, ComputeProtocolError, ComputeTaskError, ComputeTimeoutError, ComputeWorkerCrashedError } from "./errors.js";
import { LogLineSchema, ReplySchema, type LogLevel, type RunRequest, type TaskInput, type TaskName, type TaskRegistry, type TaskResult } from "./protocol.js";

/**
 * A few worker threads for CPU-heavy pure work, so the event loop stays free
 * for webhooks, `/ping`, model calls and queue lock renewals while a large
 * pull request is analyzed and planned.
 *
 * - At most `threads` tasks run at once, one per thread; the rest wait in order.
 * - Threads start on first use (or on `warm()`, ahead of a burst of tasks) and stay while work comes;
 *   one idle for `idleTimeoutMs` is stopped, so a process holding no job gives its memory back.
 *   An idle pool does not keep the process alive.
 * - A task's AbortSignal (or its time limit) stops its thread: synchronous work
 *   such as a lint pass cannot be interrupted any other way. A fresh thread
 *   takes the next task.
 * - A thread that crashes, or sends anything the protocol does not allow,
 *   fails only the task it was running, with a typed error; it is replaced.
 * - Results are checked against the task's result schema before the caller sees them.
 */

export interface WorkerPoolOptions {
  /** The worker entry module; it calls `serveTasks` with the same registry. See `workerScript`. */
  readonly script: URL;
  readonly threads: number;
  readonly taskTimeoutMs: number;
  readonly log: Logger;
  /** Errors tasks throw that callers tell apart by class: rebuilt from their name and message on this side. */
  readonly knownErrors?: Readonly<Record<string, new (message: string) => Error>>;
  /** Heap limits per thread; a thread over them dies alone (ComputeWorkerCrashedError). Default: Node's. */
  readonly resourceLimits?: ResourceLimits;
  /** A thread idle this long is stopped (its modules and heap go with it); absent: threads are kept. */
  readonly idleTimeoutMs?: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Receives the task's log lines (with its own bindings); the pool's logger otherwise. */
  readonly log?: Logger;
}

interface Pending {
  readonly id: number;
  readonly task: string;
  readonly input: unknown;
  readonly log: Logger;
  readonly signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** The time limit, running from the moment a thread takes the task. */
  timer: NodeJS.Timeout | null;
  /** Detaches the abort listener. */
  cleanup(): void;
}

interface Thread {
  readonly worker: Worker;
  current: Pending | null;
  /** Stops the thread once it has been idle for `idleTimeoutMs`. */
  idleTimer: NodeJS.Timeout | null;
}

export class WorkerPool<R extends TaskRegistry> {
  private readonly threads = new Set<Thread>();
  private readonly idle: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly registry: R,
    private readonly options: WorkerPoolOptions,
  ) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a positive integer, not ${options.threads}`);
  }

  /** Tasks running and waiting, for logs and tests. */
  get load(): { readonly threads: number; readonly running: number; readonly queued: number } {
    return { threads: this.threads.size, running: [...this.threads].filter((t) => t.current !== null).length, queued: this.queue.length };
  }

  run<K extends TaskName<R>>(task: K, input: TaskInput<R, K>, options: RunOptions = {}): Promise<TaskResult<R, K>> {
    const { signal } = options;
    if (this.closed) return Promise.reject(new ComputePoolClosedError(task));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<TaskResult<R, K>>((resolve, reject) => {
      const onAbort = () => this.cancel(pending, signal?.reason);
      const pending: Pending = {
        id: this.nextId++,
        task,
        input,
        log: options.log ?? this.options.log,
        signal,
        resolve: (value) => resolve(value as TaskResult<R, K>),
        reject,
        timer: null,
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /**
   * Starts the threads tasks would start, without a task: a thread loads its modules while the caller does
   * other work (a review fetching the change), so the first task does not wait for a cold start.
   */
  warm(): void {
    while (!this.closed && this.threads.size < this.options.threads) this.release(this.spawn());
  }

  /** Fails waiting tasks and stops every thread (running tasks fail with ComputePoolClosedError). */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) this.settle(pending, new ComputePoolClosedError(pending.task));
    await Promise.all([...this.threads].map((thread) => this.stop(thread, (p) => new ComputePoolClosedError(p.task))));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const thread = this.idle.pop() ?? (this.threads.size < this.options.threads ? this.spawn() : null);
      if (!thread) return;
      this.start(thread, this.queue.shift()!);
    }
  }

  private start(thread: Thread, pending: Pending): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    thread.current = pending;
    thread.worker.ref();
    // Waiting behind other reviews' tasks does not count: the limit is for a task that runs away (hostile input).
    pending.timer = setTimeout(() => this.cancel(pending, new ComputeTimeoutError(pending.task, this.options.taskTimeoutMs)), this.options.taskTimeoutMs);
    pending.timer.unref();
    const request: RunRequest = { type: "run", id: pending.id, task: pending.task, input: pending.input, logLevel: pending.log.level as LogLevel };
    try {
      thread.worker.postMessage(request);
    } catch (error) {
      // The input could not be cloned (a function, a class instance with private state): the caller's bug, not the thread's.
      thread.current = null;
      this.release(thread);
      this.settle(
        pending,
        new ComputeProtocolError(pending.task, `the input cannot be sent to a worker thread: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  private spawn(): Thread {
    const worker = startWorker(this.options.script, this.options.resourceLimits);
    worker.unref();
    const thread: Thread = { worker, current: null, idleTimer: null };
    this.threads.add(thread);
    worker.on("message", (raw: unknown) => this.onMessage(thread, raw));
    worker.on("messageerror", (error) => this.fail(thread, (p) => new ComputeProtocolError(p.task, `a reply could not be read: ${error.message}`)));
    worker.on("error", (error) => this.fail(thread, (p) => new ComputeWorkerCrashedError(p.task, error.message)));
    worker.on("exit", (code) => {
      this.forget(thread);
      const pending = thread.current;
      thread.current = null;
      if (pending) this.settle(pending, new ComputeWorkerCrashedError(pending.task, `the thread exited with code ${code}`));
      this.dispatch();
    });
    return thread;
  }

  private onMessage(thread: Thread, raw: unknown): void {
    const pending = thread.current;
    if (!pending) {
      this.options.log.warn("a worker thread sent a message while idle; it is stopped");
      void this.stop(thread, null);
      return;
    }
    const reply = ReplySchema.safeParse(raw);
    if (!reply.success || reply.data.id !== pending.id) {
      const detail = reply.success ? `a reply for task ${reply.data.id} while running ${pending.id}` : z.prettifyError(reply.error).slice(0, 500);
      this.fail(thread, (p) => new ComputeProtocolError(p.task, detail));
      return;
    }
    const message = reply.data;
    if (message.type === "log") {
      forwardLog(pending.log, message.line);
      return;
    }
    if (message.type === "error") {
      thread.current = null;
      this.release(thread);
      this.settle(pending, this.rebuildError(pending.task, message.error));
      return;
    }
    const result = this.registry[pending.task]!.result.safeParse(message.result);
    if (!result.success) {
      this.fail(thread, (p) => new ComputeProtocolError(p.task, `the result does not match its schema: ${z.prettifyError(result.error).slice(0, 500)}`));
      return;
    }
    thread.current = null;
    this.release(thread);
    this.settle(pending, null, result.data);
  }

  private rebuildError(task: string, error: { name: string; message: string }): Error {
    const known = this.options.knownErrors && Object.hasOwn(this.options.knownErrors, error.name) ? this.options.knownErrors[error.name] : undefined;
    return known ? new known(error.message) : new ComputeTaskError(task, error.name, error.message);
  }

  /** Aborted or out of time: a waiting task leaves the queue; a running one takes its thread down with it. */
  private cancel(pending: Pending, reason: unknown): void {
    const queued = this.queue.indexOf(pending);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      this.settle(pending, reason);
      return;
    }
    const thread = [...this.threads].find((t) => t.current === pending);
    if (thread) void this.stop(thread, () => reason);
  }

  /** The thread misbehaved: its task fails with `error`, the thread is replaced. */
  private fail(thread: Thread, error: (pending: Pending) => unknown): void {
    void this.stop(thread, error);
  }

  /** Stops the thread; its task, if any, fails with `error`. */
  private async stop(thread: Thread, error: ((pending: Pending) => unknown) | null): Promise<void> {
    const pending = thread.current;
    thread.current = null;
    this.forget(thread);
    if (pending && error) this.settle(pending, error(pending));
    await thread.worker.terminate();
    this.dispatch();
  }

  private release(thread: Thread): void {
    thread.worker.unref();
    if (this.threads.has(thread) && !this.idle.includes(thread)) this.idle.push(thread);
    this.dispatch();
    const idleMs = this.options.idleTimeoutMs;
    if (idleMs !== undefined && thread.current === null && this.idle.includes(thread) && !thread.idleTimer) {
      thread.idleTimer = setTimeout(() => {
        thread.idleTimer = null;
        if (thread.current === null && this.idle.includes(thread)) void this.stop(thread, null);
      }, idleMs);
      thread.idleTimer.unref();
    }
  }

  private forget(thread: Thread): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    this.threads.delete(thread);
    const i = this.idle.indexOf(thread);
    if (i !== -1) this.idle.splice(i, 1);
  }

  private settle(pending: Pending, error: unknown, value?: unknown): void {
    pending.cleanup();
    if (pending.timer) clearTimeout(pending.timer);
    if (error !== null) pending.reject(error);
    else pending.resolve(value);
  }
}

/**
 * The worker module next to `base` (a module's `import.meta.url`): `name.js`
 * in the compiled build, `name.ts` when running from sources (tsx, jest).
 */
export function workerScript(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith(".ts") ? ".ts" : ".js"}`, base);
}

/**
 * Node 20 does not apply a `--import tsx` loader to a worker's entry module,
 * so a TypeScript entry (sources run by tsx or jest) starts through a small
 * script that imports it with tsx's API; compiled entries start directly.
 */
function startWorker(script: URL, resourceLimits: ResourceLimits | undefined): Worker {
  const options = { name: "longview-compute", ...(resourceLimits ? { resourceLimits } : {}) };
  if (!script.pathname.endsWith(".ts")) return new Worker(script, options);
  const bootstrap = `const { workerData } = require("node:worker_threads");
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry));`;
  return new Worker(bootstrap, { ...options, eval: true, workerData: { tsx: tsxApi(), entry: script.href } });
}

/** tsx's ESM API as a file URL (so it resolves wherever the process was started). */
function tsxApi(): string {
  // `require.resolve` picks the package's CommonJS build; the ESM build sits beside it.
  const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  return pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
}

const LEVEL_METHODS: Readonly<Record<number, "trace" | "debug" | "info" | "warn" | "error" | "fatal">> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

function forwardLog(log: Logger, line: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return;
  }
  const entry = LogLineSchema.safeParse(parsed);
  if (!entry.success) return;
  const { level, msg, ...fields } = entry.data;
  log[LEVEL_METHODS[level] ?? "info"]({ ...fields, thread: "compute" }, msg ?? "");
}
