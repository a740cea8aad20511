import type { CommitCheck } from "../github/ci-checks.js";
import { ACTIONS_APP_SLUG } from "../github/ci-checks.js";
import type { CiVerdict } from "../fix/ci-follow.js";
import type { FixResult } from "../fix/run-fix.js";
import { inlineCode, neutralizeLine } from "../markdown/untrusted.js";
import { formatFixReply } from "./format-fix-reply.js";

/**
 * What Longview says in the fix's thread about CI on its fix commits. Pure.
 * Check names and outputs come from the repository's CI (the pull request's
 * own code can write them): code spans and neutralized lines only.
 */

const UNDO = "Comment `/agent undo` to revert Longview's fix commits on this branch.";

export interface CiReplyContext {
  readonly requester: string;
  readonly sha: string;
  /** 1 for the `/agent fix` commit, then one per revision. */
  readonly round: number;
  readonly timeoutSeconds: number;
}

/** How the note below begins (a fix's answer loses it when the pull request turns out to have no CI). */
export const FOLLOWING_NOTE_START = "<sub>Longview follows this commit's CI checks";

/** The line added to a fix's answer when its CI is followed. */
export function followingNote(rounds: number, timeoutSeconds: number): string {
  const revise =
    rounds === 0
      ? "and reports here whether its fix broke any of them"
      : `and, if its fix breaks a check that passed before, revises it (at most ${rounds === 1 ? "1 follow-up commit" : `${rounds} follow-up commits`})`;
  return `${FOLLOWING_NOTE_START} for up to ${duration(timeoutSeconds)} ${revise}.</sub>`;
}

/** The verdict, when it ends the follow-up (every kind but `revise`). */
export function formatCiVerdict(verdict: Exclude<CiVerdict, { kind: "revise" }>, ctx: CiReplyContext): string {
  const to = `@${ctx.requester}`;
  const commit = inlineCode(ctx.sha.slice(0, 7));
  const rounds = ctx.round > 1 ? ` after ${ctx.round - 1} ${ctx.round === 2 ? "revision" : "revisions"}` : "";
  switch (verdict.kind) {
    case "passed":
      return [
        `${to} CI passed on Longview's fix ${commit}${rounds}: ${names(verdict.passed)} ${verdict.passed.length === 1 ? "passed" : `passed (${verdict.passed.length} checks)`}.`,
        ...alreadyFailingLines(verdict.alreadyFailing),
      ].join("\n");
    case "give-up":
      return [
        `${to} CI still fails on Longview's fix ${commit}${rounds}, and Longview may not revise it again (\`fix.ciRounds\`):`,
        ...verdict.failing.map(checkLine),
        ...alreadyFailingLines(verdict.alreadyFailing),
        "",
        `Longview stops here. ${UNDO}`,
      ].join("\n");
    case "timeout":
      return [
        `${to} CI did not finish on Longview's fix ${commit} within ${duration(ctx.timeoutSeconds)} (\`fix.ciTimeout\`); Longview stops following it.`,
        ...(verdict.pending.length > 0 ? [`Still running: ${verdict.pending.map((c) => inlineCode(c.name)).join(", ")}.`] : ["No check started on it."]),
        ...(verdict.failing.length > 0 ? ["Newly failing so far:", ...verdict.failing.map(checkLine), "", UNDO] : []),
      ].join("\n");
    case "no-ci":
      return `${to} No CI checks report on this pull request (none on Longview's fix ${commit}, none on the commit before it), so the fix was checked only by Longview's own review of it.`;
    case "unreadable":
      return `${to} Longview cannot read the CI checks of its fix ${commit}: the GitHub App lacks the ${inlineCode(verdict.permission)} permission. An owner of the installation can grant it in the App's settings; until then, check CI yourself.`;
    case "moved":
      return `${to} The branch moved on after Longview's fix ${commit} (its head is now ${inlineCode(verdict.head.slice(0, 7))}); Longview stops following CI for its fix.`;
  }
}

/** A revision was committed: what broke, the new commit, and that it is followed in turn. */
export function formatRevision(
  committed: Extract<FixResult, { kind: "committed" }>,
  failing: readonly CommitCheck[],
  ctx: CiReplyContext,
  following: string,
): string {
  const body = formatFixReply(committed, ctx.requester).replace(/^@\S+ /, "");
  return [
    `@${ctx.requester} Round ${ctx.round}: Longview's fix ${inlineCode(ctx.sha.slice(0, 7))} broke ${failing.length === 1 ? "a check" : `${failing.length} checks`} that passed before it:`,
    ...failing.map(checkLine),
    "",
    body,
    following,
  ].join("\n");
}

/** A revision was needed and none was committed: why, and the way back. */
export function formatFailedRevision(result: Exclude<FixResult, { kind: "committed" }>, failing: readonly CommitCheck[], ctx: CiReplyContext): string {
  const why = formatFixReply(result, ctx.requester).replace(/^@\S+ /, "");
  return [
    `@${ctx.requester} Round ${ctx.round}: Longview's fix ${inlineCode(ctx.sha.slice(0, 7))} broke ${failing.length === 1 ? "a check" : `${failing.length} checks`} that passed before it:`,
    ...failing.map(checkLine),
    "",
    `Longview could not repair it: ${why}`,
    "",
    UNDO,
  ].join("\n");
}

function checkLine(check: CommitCheck): string {
  const app = check.app === ACTIONS_APP_SLUG ? "GitHub Actions" : neutralizeLine(check.app, 100);
  const title = check.output.title ? ` — ${neutralizeLine(check.output.title, 300)}` : "";
  return `- ${inlineCode(check.name)} (${app}): ${check.conclusion ?? check.status}${title}`;
}

/** At most 10 check names, as code. */
function names(checks: readonly CommitCheck[]): string {
  const shown = checks.slice(0, 10).map((c) => inlineCode(c.name));
  return checks.length > 10 ? `${shown.join(", ")} and ${checks.length - 10} more` : shown.join(", ");
}

function alreadyFailingLines(checks: readonly CommitCheck[]): string[] {
  if (checks.length === 0) return [];
  return ["", `Already failing before Longview's fix, so not counted against it: ${names(checks)}.`];
}

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "1 minute" : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
