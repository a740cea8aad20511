import type { AgentCommand } from "./parse-command.js";

/** The answer when a command failed for good. Pure. */
export function formatCommandFailure(sender: string, command: AgentCommand["kind"], error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `@${sender} Longview could not finish \`/agent ${command}\`: ${message.replace(/\s+/g, " ").slice(0, 300)}`;
}
