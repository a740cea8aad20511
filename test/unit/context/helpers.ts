import { createTwoFilesPatch } from "diff";
import type { ChangeSet, DiffLine, SkippedFile } from "../../../src/domain/change-set.js";
import type { WindowPlan } from "../../../src/domain/window.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { isWhitespaceOnly } from "../../../src/context/compaction.js";

export const BUDGET_24K = { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 };
export const GLOBAL = { title: "Test PR", description: "Does things.", guidelines: "Look for bugs." };

export interface FileChange {
  readonly path: string;
  /** null: the file is new. */
  readonly base: string | null;
  /** null: the file is deleted. */
  readonly head: string | null;
  /** Leave head content out of the change set even though the file exists at head. */
  readonly withoutHead?: boolean;
}

/** A change set from before/after texts, through the real diff parser. */
export function changeSetOf(changes: readonly FileChange[], skipped: readonly SkippedFile[] = []): ChangeSet {
  const sections = changes.map(({ path, base, head }) => {
    const patch = createTwoFilesPatch(base === null ? "/dev/null" : `a/${path}`, head === null ? "/dev/null" : `b/${path}`, base ?? "", head ?? "", "", "", {
      context: 3,
    });
    const mode = base === null ? "new file mode 100644\n" : head === null ? "deleted file mode 100644\n" : "";
    return `diff --git a/${path} b/${path}\n${mode}${patch.slice(patch.indexOf("---"))}`;
  });
  const headContents = new Map<string, string>();
  for (const c of changes) if (c.head !== null && !c.withoutHead) headContents.set(c.path, c.head);
  return buildChangeSet({ files: parseUnifiedDiff(sections.join("\n")), skipped, headContents });
}

export function lineKey(path: string, kind: "add" | "del", line: number): string {
  return `${path}|${kind === "add" ? "RIGHT" : "LEFT"}|${line}`;
}

/** How many times each changed line is a review target in the plan (folded duplicates included). */
export function reviewTargets(plan: WindowPlan, changeSet: ChangeSet): Map<string, number> {
  const counts = new Map<string, number>();
  const bump = (key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const window of plan.windows) {
    for (const file of window.local.files) {
      for (const { hunk, duplicates } of file.hunks) {
        for (const l of hunk.lines) if (l.kind !== "context") bump(lineKey(file.path, l.kind, (l.kind === "add" ? l.newLine : l.oldLine)!));
        for (const d of duplicates) {
          const dupHunk = changeSet.files.find((f) => f.path === d.path)!.hunks[d.hunkIndex]!;
          for (const l of dupHunk.lines) if (l.kind !== "context") bump(lineKey(d.path, l.kind, (l.kind === "add" ? l.newLine : l.oldLine)!));
        }
      }
    }
  }
  return counts;
}

export type LineCategory = "reviewed" | "folded" | "summarized" | "triaged";

/**
 * The category each changed line is in, from the windows alone (independently
 * of the builder's own count): shown lines are reviewed, except in triaged
 * files; a summary shows its first 12 and last 6 deleted lines; folded copies
 * are folded.
 */
export function lineCategories(plan: WindowPlan, changeSet: ChangeSet): Map<string, LineCategory[]> {
  const out = new Map<string, LineCategory[]>();
  const put = (key: string, category: LineCategory): void => {
    out.set(key, [...(out.get(key) ?? []), category]);
  };
  const keyOf = (path: string, l: DiffLine): string => lineKey(path, l.kind as "add" | "del", (l.kind === "add" ? l.newLine : l.oldLine)!);
  for (const window of plan.windows) {
    for (const file of window.local.files) {
      const changed = file.hunks.flatMap((h) => h.hunk.lines.filter((l) => l.kind !== "context"));
      if (file.compacted?.kind === "triaged") for (const l of changed) put(keyOf(file.path, l), "triaged");
      else if (file.compacted?.kind === "summarized") {
        changed.forEach((l, i) => put(keyOf(file.path, l), i < 12 || i >= changed.length - 6 ? "reviewed" : "summarized"));
      } else for (const l of changed) put(keyOf(file.path, l), "reviewed");
      for (const { duplicates } of file.hunks) {
        for (const d of duplicates) {
          const dupHunk = changeSet.files.find((f) => f.path === d.path)!.hunks[d.hunkIndex]!;
          for (const l of dupHunk.lines) if (l.kind !== "context") put(keyOf(d.path, l), "folded");
        }
      }
    }
  }
  return out;
}

/** Changed lines that must be reviewed: every changed line of non-skipped files outside whitespace-only hunks. */
export function expectedTargets(changeSet: ChangeSet): Set<string> {
  const skipped = new Set(changeSet.skipped.map((s) => s.path));
  const keys = new Set<string>();
  for (const file of changeSet.files) {
    if (skipped.has(file.path)) continue;
    for (const hunk of file.hunks) {
      if (isWhitespaceOnly(file.path, hunk)) continue;
      for (const l of hunk.lines) if (l.kind !== "context") keys.add(lineKey(file.path, l.kind, (l.kind === "add" ? l.newLine : l.oldLine)!));
    }
  }
  return keys;
}

export function tsFunctions(count: number, bodyLines: number, prefix = "fn"): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`export function ${prefix}${i}(value: number): number {`);
    for (let j = 0; j < bodyLines; j++) out.push(`  const v${j} = value * ${j + 1} + ${i}; // step ${j}`);
    out.push(`  return value + ${i};`, "}", "");
  }
  return out.join("\n");
}
