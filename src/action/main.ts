import { EXIT_USAGE, errorMessage } from "../cli/io.js";
import { runAction } from "./run-action.js";
import { workflowCommand } from "./workflow-commands.js";

/**
 * The GitHub Action's process (action.yml runs `node dist/action/main.js`).
 * A fault inside a dependency after the review (a detached promise that
 * rejects) still ends the step as failed, with one `::error::` line.
 */
const controller = new AbortController();
// The runner cancels a job with SIGINT, then SIGTERM: the model calls in flight stop, the check run is completed.
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());
let faulted = false;
const onFault = (error: unknown) => {
  faulted = true;
  process.stdout.write(workflowCommand("error", `Longview: unexpected failure: ${errorMessage(error)}`, { title: "Longview" }));
  process.exitCode = EXIT_USAGE;
};
process.on("unhandledRejection", onFault);
process.on("uncaughtException", onFault);
const code = await runAction({ stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
process.exitCode = faulted ? EXIT_USAGE : code;
