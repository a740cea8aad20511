import type { CommitCheck } from "../github/ci-checks.js";

/**
 * Which of CI's checks a fix commit broke: the ones failing on the fix that
 * did not fail on its parent. A check is the same check on both commits when
 * its app and name match (ids differ per commit). Pure.
 *
 * Failing means the code did not pass: `failure`, `timed_out` (a hang the
 * fix may have caused) and `startup_failure` (a workflow the fix made
 * invalid). Not failing: `cancelled` (usually a newer push or a person
 * cancelled it, so it says nothing about the code), `action_required` (a
 * person must approve or act; no commit fixes that), `stale`, `neutral`,
 * `skipped`, `success`. A check still running on the fix is `pending`: the
 * caller waits or gives up, nothing is concluded from it. A check failing
 * on both is `alreadyFailing`: the fix did not cause it. A check the parent
 * has not finished (or never ran) counts as not failing there, so a failure
 * on the fix is reported as new.
 */

export const FAILING_CONCLUSIONS: ReadonlySet<string> = new Set(["failure", "timed_out", "startup_failure"]);

export interface CiComparison<C extends CheckKey = CommitCheck> {
  /** Failing on the fix commit, not failing on the parent. */
  readonly newlyFailing: C[];
  /** Not completed on the fix commit. */
  readonly pending: C[];
  /** Failing on both commits. */
  readonly alreadyFailing: C[];
}

type CheckKey = Pick<CommitCheck, "id" | "name" | "app" | "status" | "conclusion">;

export function isFailing(check: Pick<CommitCheck, "status" | "conclusion">): boolean {
  return check.status === "completed" && check.conclusion !== null && FAILING_CONCLUSIONS.has(check.conclusion);
}

export function newlyFailing<C extends CheckKey>(parentChecks: readonly C[], fixChecks: readonly C[]): CiComparison<C> {
  const failedOnParent = new Set(latest(parentChecks).filter(isFailing).map(keyOf));
  const result: { newlyFailing: C[]; pending: C[]; alreadyFailing: C[] } = { newlyFailing: [], pending: [], alreadyFailing: [] };
  for (const check of latest(fixChecks)) {
    if (check.status !== "completed") result.pending.push(check);
    else if (!isFailing(check)) continue;
    else if (failedOnParent.has(keyOf(check))) result.alreadyFailing.push(check);
    else result.newlyFailing.push(check);
  }
  return result;
}

/** JSON of [app, name]: neither may contain a separator that confuses the two. */
const keyOf = (check: CheckKey): string => JSON.stringify([check.app, check.name]);

/** One check per app and name: the latest (highest id) when GitHub lists several (re-runs), in first-seen order. */
function latest<C extends CheckKey>(checks: readonly C[]): C[] {
  const byKey = new Map<string, C>();
  for (const check of checks) {
    const key = keyOf(check);
    const seen = byKey.get(key);
    if (seen === undefined || check.id > seen.id) byKey.set(key, check);
  }
  return [...byKey.values()];
}
