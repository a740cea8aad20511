import type { UndoResult } from "../fix/undo.js";
import { inlineCode, neutralizeLine, neutralizeUntrusted } from "../markdown/untrusted.js";

/**
 * The reply to `/agent undo`: the commit and what it reverted, or why
 * nothing was. Pure. A committed undo starts like a committed fix
 * (`@user Committed [`abc1234`](…)`): that is how a later undo finds the
 * commits Longview made (fix/undo-plan.ts `recordedCommits`).
 */
export function formatUndoReply(result: UndoResult, requester: string): string {
  const to = `@${requester}`;
  switch (result.kind) {
    case "committed": {
      const sha = inlineCode(result.commit.sha.slice(0, 7));
      const commit = result.commit.url ? `[${sha}](${result.commit.url})` : sha;
      const n = result.reverted.length;
      return [
        `${to} Committed ${commit}, undoing ${n === 1 ? "Longview's fix commit" : `${n} Longview fix commits`}:`,
        // Subjects of Longview's own commits, which quote finding titles (model text).
        ...result.reverted.map((c) => `- ${inlineCode(c.sha.slice(0, 7))} ${neutralizeLine((c.message.split("\n")[0] ?? "").trim(), 200)}`),
        "",
        `Restored ${result.changes.map((c) => `${inlineCode(c.path)} (+${c.additions} −${c.deletions})`).join(", ")} to ${result.changes.length === 1 ? "its content" : "their content"} before Longview's changes.`,
        "",
        "<sub>Only Longview's own commits were reverted; nobody else changed these files after them. A review of the new commit follows.</sub>",
      ].join("\n");
    }
    case "refused":
    case "nothing":
      // Reasons quote commit subjects, author names, branch names and paths.
      return `${to} ${neutralizeUntrusted(result.reason)}`;
  }
}
