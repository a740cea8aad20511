import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts the real Longview server — the production entry point `src/main.ts`,
 * run through tsx, or its compiled `dist/main.js` (`built`) — as a child process against a GitHub API (the simulator).
 * Used by the end-to-end tests and `npm run demo`. With `entry: "worker"`, a
 * queue worker process (`src/worker.ts`, needs REDIS_URL) instead.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The node flags `npm start` runs the server with (package.json), so tests and benchmarks run it as production does. */
const START_FLAGS: readonly string[] = (() => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  return (pkg.scripts?.["start"] ?? "").split(/\s+/).filter((word) => word.startsWith("--"));
})();

export interface LongviewProcess {
  readonly port: number;
  /** The server's process id (memory measurements read /proc/<pid>/status). */
  readonly pid: number;
  readonly webhookUrl: string;
  /** Everything the server logged (pino JSON lines). */
  readonly logs: string[];
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies on the spot, as in a crash or an OOM kill. */
  kill(): Promise<void>;
}

export interface StartOptions {
  readonly timeoutMs?: number;
  /** Extra node flags (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  readonly nodeArgs?: readonly string[];
  /** The App server (default), or a queue worker; `port` is then its `/healthz` and `/metrics` port. */
  readonly entry?: "server" | "worker";
  /** Run the compiled entry (`dist/main.js` or `dist/worker.js`, as `npm start` does; build first) instead of the sources through tsx. */
  readonly built?: boolean;
}

export async function startLongview(env: Record<string, string>, options: StartOptions = {}): Promise<LongviewProcess> {
  const port = await freePort();
  // Each process its own job journal (unless the caller names one, e.g. to restart on it), removed when it stops.
  const scratch = env["LONGVIEW_JOURNAL"] === undefined ? mkdtempSync(join(tmpdir(), "longview-process-")) : null;
  const worker = options.entry === "worker";
  const entry = options.built ? [worker ? "dist/worker.js" : "dist/main.js"] : ["--import", "tsx", worker ? "src/worker.ts" : "src/main.ts"];
  const child = spawn(process.execPath, [...START_FLAGS, ...(options.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      HOST: "127.0.0.1",
      ...(worker ? { LONGVIEW_WORKER_PORT: String(port) } : { PORT: String(port) }),
      LOG_LEVEL: "info",
      // The simulator does not rate-limit; spacing writes 1 s apart would only slow tests down.
      LONGVIEW_GITHUB_WRITE_INTERVAL_MS: "0",
      ...(scratch ? { LONGVIEW_JOURNAL: join(scratch, "jobs.sqlite") } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const baseUrl = `http://127.0.0.1:${port}`;
  const cleanup = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, `${baseUrl}${worker ? "/healthz" : "/ping"}`, options.timeoutMs ?? 30_000, logs);
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    port,
    pid: child.pid ?? 0,
    webhookUrl: `${baseUrl}/api/github/webhooks`,
    logs,
    stop: () => stop(child).finally(cleanup),
    kill: () => stop(child, "SIGKILL").finally(cleanup),
  };
}

async function waitUntilReady(child: ChildProcess, url: string, timeoutMs: number, logs: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Longview exited with code ${child.exitCode}:\n${logs.join("\n")}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop(child);
  throw new Error(`Longview did not start within ${timeoutMs} ms:\n${logs.join("\n")}`);
}

function stop(child: ChildProcess, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The environment that points Longview at a simulator, as its own App. */
export function simulatorEnv(sim: { host: string; app: { id: number; privateKey: string; webhookSecret: string } }): Record<string, string> {
  return {
    APP_ID: String(sim.app.id),
    PRIVATE_KEY: sim.app.privateKey,
    WEBHOOK_SECRET: sim.app.webhookSecret,
    GHE_HOST: sim.host,
    GHE_PROTOCOL: "http",
  };
}
