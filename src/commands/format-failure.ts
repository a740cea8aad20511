import { neutralizeLine } from "../markdown/untrusted.js";
import type { AgentCommand } from "./parse-command.js";

/** The answer when a command failed for good. Pure. The message can quote GitHub, the model or the pull request. */
export function formatCommandFailure(sender: string, command: AgentCommand["kind"], error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `@${sender} Longview could not finish \`/agent ${command}\`: ${neutralizeLine(message, 300)}`;
}
