import type { Logger } from "pino";
import { ConfigError, loadEnv, type Env } from "./config/env.js";
import { createLogger } from "./logger.js";
import { guardProcess, type ProcessGuard } from "./ops/process-guard.js";

/**
 * The life of a Longview process (server or worker): validate the
 * environment, guard the process against faults nobody handled, start, and
 * stop cleanly on SIGTERM/SIGINT. Configuration problems exit with code 2
 * and every problem listed.
 */
export async function runProcess(
  start: (env: Env, log: Logger, guard: ProcessGuard) => Promise<{ stop(): Promise<void> }>,
  help: { configSection: string; stopping: string },
): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(env.LOG_LEVEL);
  const guard = guardProcess(log);
  let running: { stop(): Promise<void> };
  try {
    running = await start(env, log, guard);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.fatal(error.message);
      process.stderr.write(`${error.message}\nSee .env.example and README.md ("${help.configSection}").\n`);
      process.exit(2);
    }
    throw error;
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, help.stopping);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}
