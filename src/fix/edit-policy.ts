import { PLACEHOLDER_PATTERN } from "../redact/redact.js";
import type { FileEdit } from "./edit.js";

/**
 * What a fix may touch. Pure. Workflows are never edited (they run with the
 * repository's secrets, and a GitHub App needs the `workflows` permission to
 * push them), nor are local actions (`.github/actions/`: composite actions
 * run as workflow code); other files only when they hold a finding being
 * fixed or the person who asked for the fix named them.
 */

const WORKFLOW_DIR = /^\.github\/(workflows|actions)\//i;
/** What `redact()` puts where a secret was: the model never saw the value, so it must never be written back. */
export const PLACEHOLDER = PLACEHOLDER_PATTERN;

export const WORKFLOW_REFUSAL = "Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`)";

/** Instructions that name a workflow or action path: refused before anything is read. */
export function namesWorkflowPath(instructions: string): boolean {
  return /(^|[\s`'"(])\.?\/?\.github\/(workflows|actions)\//i.test(instructions);
}

export function isWorkflowPath(path: string): boolean {
  return WORKFLOW_DIR.test(normalizePath(path));
}

/** A path as a repository path: no leading `./` or `/`, forward slashes. */
export function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");
}

/** Why an edit of `path` is not allowed, or null when it is. */
export function pathProblem(path: string, allowed: ReadonlySet<string>): string | null {
  if (path !== normalizePath(path) || path.split("/").some((part) => part === ".." || part === "." || part === "")) {
    return `\`${path}\` is not a plain repository path; use the path exactly as given.`;
  }
  if (isWorkflowPath(path)) return `\`${path}\`: ${WORKFLOW_REFUSAL}.`;
  if (!allowed.has(path)) {
    return `\`${path}\` is outside the files of the findings being fixed; edit only ${[...allowed].map((p) => `\`${p}\``).join(", ")} (a person can allow another file by naming it in the \`/agent fix\` instructions).`;
  }
  return null;
}

/** Problems of one edit with redaction placeholders: never search for them, never write them. */
export function placeholderProblems(edit: FileEdit, index: number): string[] {
  const label = `Edit ${index + 1} (\`${edit.path}\`)`;
  const problems: string[] = [];
  if (PLACEHOLDER.test(edit.search)) {
    problems.push(
      `${label}: the search text contains a \`[REDACTED:…]\` placeholder, which is not in the real file; anchor the edit on other lines and leave redacted values untouched.`,
    );
  }
  if (PLACEHOLDER.test(edit.replace)) {
    problems.push(
      `${label}: the replacement contains a \`[REDACTED:…]\` placeholder; it would write the placeholder into the file. Keep lines with redacted values out of the edit.`,
    );
  }
  return problems;
}

export function countPlaceholders(text: string): number {
  return text.match(new RegExp(PLACEHOLDER.source, "g"))?.length ?? 0;
}
