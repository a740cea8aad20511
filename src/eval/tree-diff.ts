import { structuredPatch } from "diff";
import { looksBinary } from "../diff/compute-file-diff.js";

/**
 * Two file trees (repository-relative path → content) → the unified diff git
 * would print for them (`diff --git` sections, 3 lines of context, no rename
 * detection), so a case built from base/ and head/ enters the pipeline
 * through the same parser as a pull request's patch.
 */

export type FileTree = ReadonlyMap<string, Buffer>;

const CONTEXT_LINES = 3;
const FILE_MODE = "100644";

export function diffTrees(base: FileTree, head: FileTree): string {
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort();
  return paths.map((path) => diffFile(path, base.get(path) ?? null, head.get(path) ?? null)).join("");
}

function diffFile(path: string, before: Buffer | null, after: Buffer | null): string {
  if (before !== null && after !== null && before.equals(after)) return "";
  const header = [`diff --git a/${path} b/${path}`];
  if (before === null) header.push(`new file mode ${FILE_MODE}`);
  if (after === null) header.push(`deleted file mode ${FILE_MODE}`);
  if ((before !== null && looksBinary(before)) || (after !== null && looksBinary(after))) {
    header.push(`Binary files ${before === null ? "/dev/null" : `a/${path}`} and ${after === null ? "/dev/null" : `b/${path}`} differ`);
    return `${header.join("\n")}\n`;
  }
  const oldText = before?.toString("utf8") ?? "";
  const newText = after?.toString("utf8") ?? "";
  const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, { context: CONTEXT_LINES });
  // An empty file added or removed has no hunks; git prints no ---/+++ lines for it either.
  if (patch.hunks.length === 0) return `${header.join("\n")}\n`;
  header.push(before === null ? "--- /dev/null" : `--- a/${path}`, after === null ? "+++ /dev/null" : `+++ b/${path}`);
  const hunks = patch.hunks.map((h) => [`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, ...h.lines].join("\n"));
  return `${[...header, ...hunks].join("\n")}\n`;
}

/** git's hunk range: `start,count`, `,count` left out when it is 1; an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}
