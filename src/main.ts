import { runProcess } from "./run-process.js";
import { startServer } from "./server.js";

/** Production entry point: `npm start` — the GitHub App's webhook server (and, without Redis, its in-process worker). */
await runProcess((env, log, guard) => startServer(env, log, { processGuard: guard }), {
  configSection: "Register and run the GitHub App",
  stopping: "shutting down",
});
