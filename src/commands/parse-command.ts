/**
 * `/agent …` commands in pull-request comments. Pure: the comment body in,
 * the command (or null for an ordinary comment) out.
 *
 * Only the first line counts, so a command quoted or mentioned further down
 * never runs. A first line that is a quote (`>`), a code fence or an indented
 * code block is not a command either: people quote and paste commands when
 * they talk about them.
 */

export type AgentCommand =
  | { readonly kind: "fix"; readonly instructions: string }
  | { readonly kind: "review" }
  /** Revert Longview's own fix commits on the branch (words after it are ignored). */
  | { readonly kind: "undo" }
  | { readonly kind: "help" }
  | { readonly kind: "unknown"; readonly name: string };

export const MAX_INSTRUCTIONS_CHARS = 2_000;

const COMMAND = /^ {0,3}\/agent(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$/i;

export function parseCommand(body: string): AgentCommand | null {
  const lines = body.replace(/^\uFEFF/, "").split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first === -1) return null;
  const line = lines[first]!.trimEnd(); // not /\s+$/: quadratic on a long run of blanks (anyone can comment)
  if (/^ {0,3}(>|```|~~~)/.test(line) || /^( {4}|\t)/.test(line)) return null;

  const match = COMMAND.exec(line);
  if (!match) return null;
  const name = (match[1] ?? "").replace(/[.,:;!]+$/, "").toLowerCase();
  const rest = match[2] ?? "";
  switch (name) {
    case "":
    case "help":
      return { kind: "help" };
    case "review":
      return { kind: "review" };
    case "undo":
      return { kind: "undo" };
    case "fix": {
      // Instructions may continue on the lines below the command.
      const instructions = [rest, ...lines.slice(first + 1)].join("\n").trim();
      return { kind: "fix", instructions: instructions.slice(0, MAX_INSTRUCTIONS_CHARS) };
    }
    default:
      return { kind: "unknown", name: (match[1] ?? "").slice(0, 40) };
  }
}
