import { ConfigError, loadEnv } from "./config/env.js";
import { createLogger } from "./logger.js";
import { startWorker } from "./start-worker.js";

/** Worker entry point: `npm run worker` (Redis deployments; see README). */
async function main(): Promise<void> {
  let env;
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
  let worker;
  try {
    worker = await startWorker(env, log);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.fatal(error.message);
      process.stderr.write(`${error.message}\nSee .env.example and README.md ("Running N instances and workers with Redis").\n`);
      process.exit(2);
    }
    throw error;
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down: finishing running reviews");
    worker.stop().then(
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

await main();
