import { runProcess } from "./run-process.js";
import { startWorker } from "./start-worker.js";

/** Worker entry point: `npm run worker` (Redis deployments; see README). */
await runProcess((env, log, guard) => startWorker(env, log, { processGuard: guard }), {
  configSection: "Running N instances and workers with Redis",
  stopping: "shutting down: finishing running reviews",
});
