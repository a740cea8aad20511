import type { ChangeSet, SkipReason } from "../domain/change-set.js";
import { skippedFileCount } from "../domain/change-set.js";
import type { ApiChange, ApiChangeKind, ImpactContext } from "../domain/impact.js";
import type { Walkthrough, WalkthroughApiChange, WalkthroughFile, WalkthroughHandling } from "../domain/walkthrough.js";
import type { Coverage, TriageKind, Window } from "../domain/window.js";

/** API changes kept: the review body shows a few, the reports a bounded list. */
const MAX_API_CHANGES = 50;
const MAX_EXAMPLES = 3;

/** Changes that break a contract come before changes of a body alone. */
const KIND_RANK: Readonly<Record<ApiChangeKind, number>> = { removed: 0, renamed: 0, "signature-changed": 1, "key-removed": 2, "body-changed": 3 };

/** The deterministic walkthrough of a change: every file with its size and how it was reviewed, and the changed API with its unchanged users. */
export function buildWalkthrough(input: {
  readonly changeSet: ChangeSet;
  readonly windows: readonly Window[];
  readonly coverage: Coverage;
  readonly impact: ImpactContext | null;
}): Walkthrough {
  const { changeSet, windows, coverage } = input;
  const triaged = new Map<string, TriageKind>();
  const shown = new Set<string>();
  for (const window of windows) {
    for (const file of window.local.files) {
      if (file.compacted?.kind === "triaged") triaged.set(file.path, file.compacted.triage);
      else shown.add(file.path);
      for (const hunk of file.hunks) for (const d of hunk.duplicates) shown.add(d.path);
    }
  }
  // A file's own skip, or failing that a skip found while planning (e.g. whitespace-only).
  const skipOf = new Map<string, SkipReason>();
  for (const s of [...coverage.skipped].reverse()) skipOf.set(s.path, s.reason);
  for (const s of changeSet.skipped) skipOf.set(s.path, s.reason);

  const handlingOf = (path: string): WalkthroughHandling => {
    const triage = triaged.get(path);
    if (triage) return { kind: "triaged", triage };
    if (shown.has(path)) return { kind: "reviewed" };
    const reason = skipOf.get(path);
    return reason ? { kind: "skipped", reason } : { kind: "reviewed" };
  };

  const files: WalkthroughFile[] = [];
  const listed = new Set<string>();
  let additions = 0;
  let deletions = 0;
  for (const f of changeSet.files) {
    listed.add(f.path);
    additions += f.additions;
    deletions += f.deletions;
    files.push({
      path: f.path,
      previousPath: f.previousPath,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changedLines: f.additions + f.deletions,
      handling: handlingOf(f.path),
      files: 1,
    });
  }
  for (const s of changeSet.skipped) {
    if (listed.has(s.path)) continue;
    listed.add(s.path);
    files.push({
      path: s.path,
      previousPath: null,
      status: null,
      additions: null,
      deletions: null,
      changedLines: s.lines,
      handling: { kind: "skipped", reason: s.reason },
      files: skippedFileCount(s),
    });
  }
  return { files, additions, deletions, apiChanges: apiChangesOf(input.impact) };
}

function apiChangesOf(impact: ImpactContext | null): WalkthroughApiChange[] {
  if (!impact) return [];
  return impact.changes
    .map(toWalkthroughChange)
    .sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.callers - a.callers || b.tests - a.tests)
    .slice(0, MAX_API_CHANGES);
}

function toWalkthroughChange(change: ApiChange): WalkthroughApiChange {
  const callers = change.usages.filter((u) => u.kind !== "test");
  const tests = change.usages.length - callers.length;
  const examples = [...callers, ...change.usages.filter((u) => u.kind === "test")].slice(0, MAX_EXAMPLES).map((u) => `${u.path}:${u.line}`);
  return {
    path: change.path,
    symbol: change.symbol,
    renamedTo: change.renamedTo,
    kind: change.kind,
    aspects: change.aspects,
    callers: callers.length,
    tests,
    usagesTruncated: change.usagesTruncated,
    examples,
  };
}
