import type { CheckFailureDetails, CommitCheck, CommitChecks } from "../github/ci-checks.js";
import { ACTIONS_APP_SLUG } from "../github/ci-checks.js";
import type { CiFollow } from "../github/ci-follow-marker.js";
import { isWorkflowPath, normalizePath } from "./edit-policy.js";
import { isFailing, newlyFailing } from "./ci-compare.js";

/**
 * The decisions of the CI loop after a fix commit, pure: whether to keep
 * waiting, what CI's verdict on the commit is, and what the fix model is
 * told when it must revise. The I/O around them is commands/follow-ci.ts.
 */

/** What one look at the checks concludes: wait for more events, or settle the commit now. */
export type CiWatchDecision = { readonly kind: "wait"; readonly pending: readonly string[] } | { readonly kind: "settle"; readonly why: string };

export type CiVerdict =
  /** Someone (or something) pushed after the fix: its CI is theirs now. */
  | { readonly kind: "moved"; readonly head: string }
  | { readonly kind: "unreadable"; readonly permission: string }
  /** Neither the fix commit nor the head before it has checks from another app. */
  | { readonly kind: "no-ci" }
  | { readonly kind: "timeout"; readonly pending: readonly CommitCheck[]; readonly failing: readonly CommitCheck[]; readonly passed: readonly CommitCheck[] }
  /** `passed`: every finished check that is not failing (success, neutral, skipped, …). */
  | { readonly kind: "passed"; readonly passed: readonly CommitCheck[]; readonly alreadyFailing: readonly CommitCheck[] }
  /** Newly failing checks, and a round left to revise. */
  | { readonly kind: "revise"; readonly failing: readonly CommitCheck[]; readonly alreadyFailing: readonly CommitCheck[] }
  /** Newly failing checks after the last round Longview may make. */
  | { readonly kind: "give-up"; readonly failing: readonly CommitCheck[]; readonly alreadyFailing: readonly CommitCheck[] };

export interface CiLook {
  readonly follow: CiFollow;
  /** The pull request's head now. */
  readonly head: string;
  readonly fixChecks: CommitChecks;
  readonly baseChecks: CommitChecks;
  readonly now: number;
}

/** Settle when the branch moved, the checks cannot be read, there is no CI, every check finished, or time is up. */
export function watchDecision(look: CiLook): CiWatchDecision {
  if (look.head !== look.follow.sha) return { kind: "settle", why: "the branch moved" };
  if (look.fixChecks.kind !== "checks" || look.baseChecks.kind !== "checks") return { kind: "settle", why: "the checks cannot be read" };
  const fix = look.fixChecks.checks;
  if (fix.length === 0 && look.baseChecks.checks.length === 0) return { kind: "settle", why: "no CI reports on this pull request" };
  if (look.now >= look.follow.deadline) return { kind: "settle", why: "the deadline passed" };
  // No check yet although the head before the fix had some: CI has not picked the commit up yet.
  if (fix.length === 0) return { kind: "wait", pending: ["(no check has started yet)"] };
  const pending = newlyFailing(look.baseChecks.checks, fix).pending.map((c) => c.name);
  return pending.length === 0 ? { kind: "settle", why: "every check finished" } : { kind: "wait", pending };
}

/** CI's verdict on the fix commit; `maxRounds` is `fix.ciRounds` (revisions after the first fix commit). */
export function ciVerdict(look: CiLook, maxRounds: number): CiVerdict {
  if (look.head !== look.follow.sha) return { kind: "moved", head: look.head };
  if (look.fixChecks.kind !== "checks") return { kind: "unreadable", permission: look.fixChecks.permission };
  if (look.baseChecks.kind !== "checks") return { kind: "unreadable", permission: look.baseChecks.permission };
  const fix = look.fixChecks.checks;
  if (fix.length === 0 && look.baseChecks.checks.length === 0) return { kind: "no-ci" };
  const compared = newlyFailing(look.baseChecks.checks, fix);
  const failing = new Set([...compared.newlyFailing, ...compared.alreadyFailing]);
  const passed = fix.filter((c) => c.status === "completed" && !failing.has(c) && !isFailing(c));
  if (compared.pending.length > 0 || fix.length === 0) {
    return { kind: "timeout", pending: compared.pending, failing: compared.newlyFailing, passed };
  }
  if (compared.newlyFailing.length === 0) return { kind: "passed", passed, alreadyFailing: compared.alreadyFailing };
  // Round 1 is the fix itself; each revision is one more round.
  return look.follow.round <= maxRounds
    ? { kind: "revise", failing: compared.newlyFailing, alreadyFailing: compared.alreadyFailing }
    : { kind: "give-up", failing: compared.newlyFailing, alreadyFailing: compared.alreadyFailing };
}

/** Failing checks whose details are read and shown to the fix model (each costs a few GitHub reads). */
export const MAX_FAILURES_READ = 3;
/** Characters of the whole failure report the fix model gets. */
export const MAX_FAILURE_REPORT_CHARS = 16_000;
const MAX_PER_CHECK_CHARS = 6_000;
const MAX_LOG_CHARS = 4_000;

export interface ReadFailure {
  readonly check: CommitCheck;
  readonly details: CheckFailureDetails;
}

/**
 * What the fix model reads about the checks its commit broke: each check's
 * output, annotations and the end of its job log, already redacted and
 * bounded by github/ci-checks.ts, bounded again here as a whole. It is CI
 * output of the pull request's own code, so untrusted: the prompt fences it.
 */
export function failureReport(failures: readonly ReadFailure[]): string {
  const parts = failures.map(({ check, details }) => {
    const lines = [`## Check "${check.name}" (${check.app === ACTIONS_APP_SLUG ? "GitHub Actions" : check.app}): ${check.conclusion ?? check.status}`];
    if (details.kind === "missing-permission") {
      lines.push(`(Longview cannot read this check's details: the App lacks \`${details.permission}\`.)`);
      return lines.join("\n");
    }
    const { output } = details;
    for (const text of [output.title, output.summary, output.text]) if (text && text.trim() !== "") lines.push(text.trim());
    for (const a of details.annotations) {
      const where = a.startLine === a.endLine ? `${a.path}:${a.startLine}` : `${a.path}:${a.startLine}-${a.endLine}`;
      lines.push(`- ${a.level ?? "note"} at ${where}: ${[a.title, a.message].filter(Boolean).join(" — ")}`);
    }
    if (details.annotationsTruncated) lines.push("- (more annotations not shown)");
    if (details.log.kind === "log") {
      const tail = details.log.text.length > MAX_LOG_CHARS ? `…\n${details.log.text.slice(-MAX_LOG_CHARS)}` : details.log.text;
      lines.push(`End of the job log:\n${tail}`);
    } else if (details.log.kind === "gone") lines.push("(The job log is no longer available.)");
    else if (details.log.kind === "missing-permission") lines.push(`(The job log cannot be read: the App lacks \`${details.log.permission}\`.)`);
    const text = lines.join("\n");
    return text.length > MAX_PER_CHECK_CHARS ? `${text.slice(0, MAX_PER_CHECK_CHARS)}\n… (cut)` : text;
  });
  const report = parts.join("\n\n");
  return report.length > MAX_FAILURE_REPORT_CHARS ? `${report.slice(0, MAX_FAILURE_REPORT_CHARS)}\n… (cut)` : report;
}

/** The files a revision may edit first: what Longview's fix commits changed, and what the annotations point at (never workflows). */
export function revisionPaths(follow: CiFollow, failures: readonly ReadFailure[], maxFiles: number): string[] {
  const annotated = failures.flatMap(({ details }) => (details.kind === "details" ? details.annotations.map((a) => a.path) : []));
  const paths = [...follow.paths, ...annotated]
    .map((path) => normalizePath(path))
    .filter(
      (path) =>
        path !== "" &&
        path !== ".github" &&
        !path.startsWith(".github/") &&
        !isWorkflowPath(path) &&
        !path.split("/").some((part) => part === ".." || part === "."),
    );
  return [...new Set(paths)].slice(0, Math.max(maxFiles, follow.paths.length));
}
