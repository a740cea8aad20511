import { parentPort } from "node:worker_threads";
import { pino, type Logger } from "pino";
import { z } from "zod";

/**
 * The messages between the event loop and a worker thread, both directions
 * zod-checked on arrival: requests to run a task, and the worker's replies
 * (the task's result or error, and the log lines it wrote on the way).
 * Payloads are plain data (structured clone: no functions, no class instances).
 */

/** A task a worker can run: the schemas of its input and its result. */
export interface TaskSpec<Input extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  readonly input: Input;
  readonly result: Result;
}

export type TaskRegistry = Readonly<Record<string, TaskSpec>>;
export type TaskName<R extends TaskRegistry> = keyof R & string;
/** What the caller passes: data the input schema accepts as it is (task schemas do not transform). */
export type TaskInput<R extends TaskRegistry, K extends TaskName<R>> = z.output<R[K]["input"]>;
/** What the caller gets: the result schema's output type. */
export type TaskResult<R extends TaskRegistry, K extends TaskName<R>> = z.output<R[K]["result"]>;
/** How the worker runs a task: from the parsed input to a result the result schema accepts. */
export type TaskHandlers<R extends TaskRegistry> = {
  readonly [K in TaskName<R>]: (input: z.output<R[K]["input"]>, log: Logger) => Promise<z.input<R[K]["result"]>>;
};

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TaskId = z.number().int().nonnegative();

export const RunRequestSchema = z.object({
  type: z.literal("run"),
  id: TaskId,
  task: z.string(),
  input: z.unknown(),
  logLevel: z.enum(LOG_LEVELS),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

export const ReplySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("result"), id: TaskId, result: z.unknown() }),
  z.object({ type: z.literal("error"), id: TaskId, error: z.object({ name: z.string(), message: z.string() }) }),
  z.object({ type: z.literal("log"), id: TaskId, line: z.string() }),
]);
export type Reply = z.infer<typeof ReplySchema>;

/** A pino line from the worker (JSON): its level number and message; the rest are fields. */
export const LogLineSchema = z.looseObject({ level: z.number(), msg: z.string().optional() });

/**
 * The worker side: answers every run request on `parentPort` with the
 * handler's result or error. Call once, at the top of a worker entry module.
 */
export function serveTasks<R extends TaskRegistry>(registry: R, handlers: TaskHandlers<R>): void {
  const port = parentPort;
  if (!port) throw new Error("serveTasks runs on a worker thread");
  const post = (reply: Reply) => port.postMessage(reply);
  port.on("message", (raw: unknown) => {
    const request = RunRequestSchema.safeParse(raw);
    if (!request.success) {
      const id = TaskId.safeParse((raw as { id?: unknown } | null)?.id);
      post({ type: "error", id: id.success ? id.data : 0, error: { name: "ComputeProtocolError", message: `bad request: ${z.prettifyError(request.error)}` } });
      return;
    }
    const { id, task, input, logLevel } = request.data;
    void runOne(
      registry,
      handlers,
      task,
      input,
      taskLogger(logLevel, (line) => post({ type: "log", id, line })),
    ).then(
      (result) => post({ type: "result", id, result }),
      (error: unknown) =>
        post({ type: "error", id, error: error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) } }),
    );
  });
}

async function runOne<R extends TaskRegistry>(registry: R, handlers: TaskHandlers<R>, task: string, input: unknown, log: Logger): Promise<unknown> {
  if (!Object.hasOwn(registry, task)) throw new Error(`unknown task ${JSON.stringify(task.slice(0, 100))}`);
  const name = task as TaskName<R>;
  const parsed = registry[name]!.input.safeParse(input);
  if (!parsed.success) throw new Error(`invalid input for ${name}: ${z.prettifyError(parsed.error).slice(0, 2_000)}`);
  return handlers[name](parsed.data as z.output<R[typeof name]["input"]>, log);
}

/** A logger whose lines go to the caller's logger on the main thread (with the caller's bindings). */
function taskLogger(level: LogLevel, send: (line: string) => void): Logger {
  return pino({ level, base: undefined, timestamp: false }, { write: send });
}
