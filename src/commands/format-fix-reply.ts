import type { Finding } from "../domain/finding.js";
import type { FixEngine, FixResult, NotFixed } from "../fix/run-fix.js";
import { inlineCode, neutralizeLine, neutralizeUntrusted } from "../markdown/untrusted.js";

/** The reply to `/agent fix`: what was committed and checked, or why nothing was. Pure. */
export function formatFixReply(result: FixResult, requester: string): string {
  const to = `@${requester}`;
  switch (result.kind) {
    case "committed": {
      const sha = inlineCode(result.commit.sha.slice(0, 7));
      const commit = result.commit.url ? `[${sha}](${result.commit.url})` : sha;
      const fixed = result.fixed.length;
      const lines = [
        fixed === 0 ? `${to} Committed ${commit}.` : `${to} Committed ${commit}, fixing ${fixed === 1 ? "1 finding" : `${fixed} findings`}:`,
        ...result.fixed.map(findingLine),
        "",
        `Changed ${result.changes.map((c) => `${inlineCode(c.path)} (+${c.additions} −${c.deletions})`).join(", ")}.`,
      ];
      if (result.summary) lines.push("", quote(result.summary));
      lines.push(...notFixedLines(result.notFixed));
      const rebased = result.rebased ? " The branch moved meanwhile; the edits were re-applied and re-checked on its new head." : "";
      lines.push(
        "",
        `<sub>${engineText(result.engine)} Checked: ${result.checks.map((c) => neutralizeLine(c)).join("; ")}.${rebased} A review of the new commit follows.</sub>`,
      );
      return lines.join("\n");
    }
    case "refused":
      // Reasons quote branch names, paths and validation problems (model edits).
      return [`${to} ${neutralizeUntrusted(result.reason)}`, ...notFixedLines(result.notFixed)].join("\n");
    case "declined":
      return [
        `${to} The model looked and made no change; nothing was committed.`,
        "",
        quote(result.summary),
        ...notFixedLines(result.notFixed),
        "",
        `<sub>${engineText(result.engine)}</sub>`,
      ].join("\n");
    case "invalid": {
      const attempts = result.history.length;
      return [
        `${to} Longview could not produce a fix that passes validation${attempts > 1 ? ` in ${attempts} attempts` : ""}; nothing was committed.`,
        "",
        ...result.history.map((h) => `- ${attempts > 1 ? `Attempt ${h.attempt}: ` : ""}${neutralizeLine(h.problems.join(" "), 1_500)}`),
        ...notFixedLines(result.notFixed),
        "",
        `<sub>${engineText(result.engine)}</sub>`,
      ].join("\n");
    }
    case "model-error":
      return `${to} The model could not propose a fix: ${neutralizeLine(result.message, 1_000)} Nothing was committed.`;
  }
}

/**
 * The answer when a fix commit was made but never reached its branch: the
 * attempt that made it failed before the branch moved, and by the time a
 * later attempt looked, the branch was elsewhere (or gone). Pure.
 */
export function formatUnappliedFix(
  requester: string,
  fix: { readonly sha: string; readonly branch: string },
  head: string | null,
  command: "fix" | "undo" = "fix",
): string {
  const commit = inlineCode(fix.sha.slice(0, 7));
  const branch = inlineCode(fix.branch);
  const where = head === null ? `the branch ${branch} was deleted` : `the branch ${branch} moved to ${inlineCode(head.slice(0, 7))}`;
  const what = command === "undo" ? "the revert of its fixes" : "the fix";
  const again = command === "undo" ? "to undo Longview's fixes on" : "to fix";
  return `@${requester} Longview prepared ${what} as commit ${commit}, but ${where} before the commit could be added to it, so ${what} was not applied and nothing was changed. Comment \`/agent ${command}\` again ${again} the branch as it is now.`;
}

function findingLine(f: Finding): string {
  return `- **${f.severity} · ${f.category}** ${inlineCode(`${f.path}:${f.line}`)} — ${neutralizeLine(f.title)}`;
}

function notFixedLines(notFixed: readonly NotFixed[]): string[] {
  if (notFixed.length === 0) return [];
  return ["", "Not fixed:", ...notFixed.map((n) => `${findingLine(n.finding)}: ${neutralizeLine(n.reason)}`)];
}

function engineText(engine: FixEngine): string {
  if (engine.kind === "autofix") return "Fixed with the analyzers' own automatic fixes (no model).";
  const tokens = engine.usage.inputTokens + engine.usage.outputTokens;
  return `Proposed by ${inlineCode(engine.model)} in ${engine.attempts === 1 ? "1 attempt" : `${engine.attempts} attempts`} (${tokens.toLocaleString("en-US")} tokens).`;
}

function quote(text: string): string {
  return neutralizeUntrusted(text, 1_000)
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
