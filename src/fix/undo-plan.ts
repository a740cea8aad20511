import type { GitIdentity, PullCommit } from "../github/pull-commits.js";
import { inlineCode } from "../markdown/untrusted.js";
import { UNDO_TRAILER, trailerValues } from "./commit-message.js";
import { isWorkflowPath, normalizePath } from "./edit-policy.js";

/**
 * `/agent undo` decided. Pure: the pull request's commits, what Longview's
 * answers say it committed, and the files each commit changed in; which of
 * Longview's commits to revert, and what to restore, or why not out.
 *
 * Two steps, because the files of a commit cost a request each and only
 * the commits from the first one to revert onwards matter:
 * 1. `selectUndo` walks the branch from its head (first parents, as the
 *    branch's own line of history) and picks Longview's fix commits that
 *    are still on it and not undone yet — or refuses when a commit of
 *    Longview's was rewritten or is gone (a force-push).
 * 2. `planRestore` checks that nobody else changed those files after
 *    Longview did; then each file goes back to its content just before
 *    the first of Longview's commits that changed it. Nothing in between
 *    changed it but Longview, so that removes exactly Longview's changes.
 */

/** A commit Longview made, as its identity and message show. */
export type CommitKind =
  | { readonly kind: "fix" }
  /** An earlier undo, and the commits it reverted. */
  | { readonly kind: "undo"; readonly reverted: readonly string[] }
  /** Authored by Longview but committed by someone else: a rebase, an amend or a cherry-pick made it anew. */
  | { readonly kind: "rewritten"; readonly committer: string }
  | { readonly kind: "other" };

/** GitHub's own identity on commits it makes for an app through the API (and on rebases it makes). */
const GITHUB_COMMITTER = "noreply@github.com";

/**
 * Whether a git identity is Longview's bot: GitHub gives a commit an app
 * makes through the API the bot's no-reply address, `<id>+<slug>[bot]@users.noreply.<host>`.
 */
export function isBotIdentity(person: GitIdentity | null, botLogin: string): boolean {
  if (person === null) return false;
  const email = person.email.toLowerCase();
  const at = email.indexOf("@");
  if (at < 0) return false;
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  return local.replace(/^\d+\+/, "") === botLogin.toLowerCase() && domain.startsWith("users.noreply.");
}

export function classifyCommit(commit: PullCommit, botLogin: string): CommitKind {
  if (!isBotIdentity(commit.author, botLogin)) return { kind: "other" };
  const committer = commit.committer;
  const own = committer === null || committer.email.toLowerCase() === GITHUB_COMMITTER || isBotIdentity(committer, botLogin);
  if (!own) return { kind: "rewritten", committer: committer.name || committer.email };
  const reverted = trailerValues(commit.message, UNDO_TRAILER).filter((v) => /^[0-9a-f]{40}$/i.test(v));
  return reverted.length > 0 ? { kind: "undo", reverted: reverted.map((s) => s.toLowerCase()) } : { kind: "fix" };
}

/**
 * The commits Longview's answers say it made on the pull request, oldest
 * first: every answer starting `@user Committed [`abc1234`](…/commit/<sha>)`
 * (fixes and undos). Only Longview's own comments may be given.
 */
export function recordedCommits(bodies: readonly string[]): string[] {
  const found: string[] = [];
  for (const body of bodies) {
    const linked = /^@\S+ Committed \[`[0-9a-f]{7,40}`\]\([^)\s]*\/commit\/([0-9a-f]{40})\)/i.exec(body);
    const bare = linked ? null : /^@\S+ Committed `([0-9a-f]{7,40})`/i.exec(body);
    const sha = linked?.[1] ?? bare?.[1];
    if (sha) found.push(sha.toLowerCase());
  }
  return found;
}

export interface UndoInput {
  readonly botLogin: string;
  readonly headSha: string;
  readonly branch: string;
  /** The pull request's commits (any order). */
  readonly commits: readonly PullCommit[];
  /** Whether GitHub's listing may have left commits out (it lists at most 250). */
  readonly listingFull: boolean;
  /** `recordedCommits` of Longview's answers. */
  readonly recorded: readonly string[];
}

export type UndoSelection =
  | { readonly kind: "refused"; readonly reason: string }
  | { readonly kind: "nothing"; readonly reason: string }
  | {
      readonly kind: "selected";
      /** Longview's fix commits to revert, oldest first. */
      readonly revert: readonly PullCommit[];
      /** The branch's commits from the first one to revert up to the head, oldest first: the ones whose files matter. */
      readonly span: readonly PullCommit[];
    };

export function selectUndo(input: UndoInput): UndoSelection {
  const chain = firstParentChain(input.commits, input.headSha);
  if (chain === null) {
    return {
      kind: "refused",
      reason: input.listingFull
        ? "This pull request has more commits than GitHub lists (250), so Longview cannot see which of them are its own. Nothing was changed."
        : "The branch moved while Longview was reading its history. Nothing was changed; comment `/agent undo` again.",
    };
  }
  const kinds = new Map(chain.map((c) => [c.sha, classifyCommit(c, input.botLogin)]));
  const rewritten = chain.filter((c) => kinds.get(c.sha)!.kind === "rewritten");
  if (rewritten.length > 0) {
    const names = rewritten.map((c) => {
      const kind = kinds.get(c.sha) as Extract<CommitKind, { kind: "rewritten" }>;
      return `${commitLabel(c)} (now committed by ${kind.committer})`;
    });
    return {
      kind: "refused",
      reason: `Longview's ${plural(rewritten.length, "commit")} ${names.join(", ")} ${rewritten.length === 1 ? "was" : "were"} rewritten (a rebase, an amend or a cherry-pick), so ${rewritten.length === 1 ? "it is" : "they are"} no longer the ${plural(rewritten.length, "commit")} Longview made and Longview cannot tell its own changes apart. Nothing was changed; revert by hand instead.`,
    };
  }

  // Longview's answers are in order: a commit answered after the last one still on the branch, and missing from it, was rewritten away.
  const onBranch = (recorded: string) => chain.some((c) => c.sha.toLowerCase().startsWith(recorded));
  let lastPresent = -1;
  input.recorded.forEach((sha, i) => {
    if (onBranch(sha)) lastPresent = i;
  });
  const missing = [...new Set(input.recorded.slice(lastPresent + 1))];
  if (missing.length > 0) {
    return {
      kind: "refused",
      reason: `Longview's ${plural(missing.length, "commit")} ${missing.map((s) => inlineCode(s.slice(0, 7))).join(", ")} ${missing.length === 1 ? "is" : "are"} no longer in the history of the branch ${inlineCode(input.branch)} (a force-push rewrote or removed ${missing.length === 1 ? "it" : "them"}), so there is no commit of Longview's left to revert. Nothing was changed.`,
    };
  }

  const undone = new Set(
    chain.flatMap((c) => {
      const kind = kinds.get(c.sha)!;
      return kind.kind === "undo" ? kind.reverted : [];
    }),
  );
  const fixes = chain.filter((c) => kinds.get(c.sha)!.kind === "fix");
  const revert = fixes.filter((c) => !undone.has(c.sha.toLowerCase()));
  if (revert.length === 0) {
    return {
      kind: "nothing",
      reason:
        fixes.length === 0
          ? `There is nothing to undo: no fix commit of Longview's is on the branch ${inlineCode(input.branch)}.`
          : `There is nothing to undo: Longview's fix ${plural(fixes.length, "commit")} on the branch ${inlineCode(input.branch)} ${fixes.length === 1 ? "was" : "were"} already undone.`,
    };
  }
  return { kind: "selected", revert, span: chain.slice(chain.indexOf(revert[0]!)) };
}

/** What each commit changed, by SHA: the paths (old and new names of renames), or null when GitHub could not list them all. */
export type ChangedPaths = ReadonlyMap<string, ReadonlySet<string> | null>;

export interface RestoreFile {
  readonly path: string;
  /** The commit whose content of `path` comes back: the parent of the first reverted commit that changed it. */
  readonly from: string;
}

export type RestorePlan = { readonly kind: "refused"; readonly reason: string } | { readonly kind: "restore"; readonly files: readonly RestoreFile[] };

export function planRestore(selection: Extract<UndoSelection, { kind: "selected" }>, changed: ChangedPaths): RestorePlan {
  const reverting = new Set(selection.revert.map((c) => c.sha));
  const first = new Map<string, PullCommit>();
  const conflicts: string[] = [];
  for (const commit of selection.span) {
    const paths = changed.get(commit.sha) ?? null;
    if (reverting.has(commit.sha)) {
      if (paths === null) return refused(`GitHub could not list the files Longview's commit ${commitLabel(commit)} changed.`);
      const parent = commit.parents[0];
      if (parent === undefined) return refused(`Longview's commit ${commitLabel(commit)} has no parent to restore from.`);
      for (const path of [...paths].map(normalizePath)) {
        // Longview never writes there (edit-policy.ts): a "Longview" commit that did is not one to trust, nor to revert.
        if (isWorkflowPath(path)) {
          return refused(
            `The commit ${commitLabel(commit)} changes ${inlineCode(path)}, and Longview never changes \`.github/workflows/\` or \`.github/actions/\`, so it does not undo that commit.`,
          );
        }
        if (!first.has(path)) first.set(path, commit);
      }
      continue;
    }
    if (first.size === 0) continue;
    if (paths === null) {
      conflicts.push(`${commitLabel(commit)}${by(commit)} changed more files than GitHub lists, so Longview cannot tell whether it touched them`);
      continue;
    }
    const touched = [...paths].map(normalizePath).filter((p) => first.has(p));
    if (touched.length > 0) conflicts.push(`${commitLabel(commit)}${by(commit)} changed ${touched.map((p) => inlineCode(p)).join(", ")}`);
  }
  if (conflicts.length > 0) {
    return refused(
      `Other commits changed the files of Longview's fix after it: ${conflicts.join("; ")}. Undoing the fix would throw those changes away. Nothing was changed; revert by hand instead.`,
    );
  }
  return { kind: "restore", files: [...first].map(([path, commit]) => ({ path, from: commit.parents[0]! })) };
}

/** The commits from `head` back along first parents, oldest first; null when the head is not among them. */
function firstParentChain(commits: readonly PullCommit[], head: string): PullCommit[] | null {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  if (!bySha.has(head)) return null;
  const chain: PullCommit[] = [];
  const seen = new Set<string>();
  for (let at = bySha.get(head); at && !seen.has(at.sha); at = bySha.get(at.parents[0] ?? "")) {
    seen.add(at.sha);
    chain.push(at);
  }
  return chain.reverse();
}

function refused(reason: string): RestorePlan {
  return { kind: "refused", reason: reason.includes("Nothing was changed") ? reason : `${reason} Nothing was changed.` };
}

/** `abc1234` ("subject"), as people find it in the branch's history. */
export function commitLabel(commit: PullCommit): string {
  const subject = (commit.message.split("\n")[0] ?? "").trim();
  const short = subject.length > 60 ? `${subject.slice(0, 59)}…` : subject;
  return `${inlineCode(commit.sha.slice(0, 7))}${short ? ` (“${short}”)` : ""}`;
}

function by(commit: PullCommit): string {
  const name = commit.author?.name;
  return name ? ` by ${name}` : "";
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
