import type { RepoConfig } from "../config/repo-config.js";
import { inlineCode } from "../markdown/untrusted.js";

/** `/agent help`, and the answer to an unknown command. Pure. */
export function helpText(config: RepoConfig, unknown: string | null = null): string {
  const reviewers = {
    write: "people with write access to the repository",
    read: "people with read access to the repository",
    anyone: "anyone who can comment",
  }[config.commands.review];
  // Model findings gate only when verified at the gate score; analyzer rules always do.
  const gate = `${config.gate.severity} or worse in ${config.gate.categories.join("/")}, model findings verified at ${config.verification.gateScore} or above`;
  return [
    ...(unknown === null ? [] : [`Longview does not know ${inlineCode(`/agent ${unknown}`)}.`, ""]),
    "**Longview commands** (on the first line of a pull-request comment):",
    "",
    `- \`/agent fix [instructions]\` — commits a fix to this pull request's branch. In a Longview finding's thread it fixes that finding; on the conversation it fixes the open findings the instructions name (by file, rule or title words), or else the open findings that fail the gate (${gate}). In a person's review thread it does what that comment asks (needs a model). Anything after \`fix\` is passed on as instructions. For people with write access.`,
    "- `/agent undo` — reverts Longview's own fix commits on this pull request's branch, in one new commit that puts the files they changed back as they were. Refused when someone else changed those files after them, or when a force-push rewrote or removed them. For people with write access.",
    `- \`/agent review\` — a full new review of the pull request's head. For ${reviewers} (\`commands.review\` in \`.github/longview.yml\`).`,
    "- `/agent help` — this message.",
    "",
    "**How fixes are made:** the analyzers' own automatic fixes where they exist, otherwise the model proposes search/replace edits. Every edit set is validated before anything is written: each edit applies exactly once, edited files still parse, the analyzers no longer report the finding and report nothing new at P0/P1. A failed validation goes back to the model, up to " +
      `${config.fix.maxAttempts} attempts (\`fix.maxAttempts\`). One commit, authored by Longview, lists the fixed findings; a review of it follows.`,
    "",
    "**Longview refuses to** edit `.github/workflows/` or `.github/actions/`, edit files other than the findings' unless your instructions name them, push to forks that do not allow edits by maintainers, touch closed or merged pull requests, or commit a fix that fails validation (it tells you why).",
  ].join("\n");
}
