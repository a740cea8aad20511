import { structuredPatch } from "diff";
import type { ChangedFile, DiffLine, FileStatus, Hunk } from "../domain/change-set.js";

/**
 * A file's hunks computed locally from its two versions, for files whose patch
 * GitHub leaves out (diffs too large for the API). Same shape as a parsed patch.
 */
export function computeFileDiff(input: { path: string; previousPath: string | null; status: FileStatus; oldText: string; newText: string }): ChangedFile {
  const patch = structuredPatch(input.previousPath ?? input.path, input.path, input.oldText, input.newText, undefined, undefined, {
    context: 3,
  });
  let additions = 0;
  let deletions = 0;
  const hunks: Hunk[] = patch.hunks.map((h, index) => {
    let oldLine = h.oldStart;
    let newLine = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const marker = raw[0];
      const text = raw.slice(1);
      if (marker === "+") {
        lines.push({ kind: "add", oldLine: null, newLine: newLine++, text });
        additions++;
      } else if (marker === "-") {
        lines.push({ kind: "del", oldLine: oldLine++, newLine: null, text });
        deletions++;
      } else if (marker === " ") {
        lines.push({ kind: "context", oldLine: oldLine++, newLine: newLine++, text });
      }
      // "\ No newline at end of file" is not a line of either version.
    }
    const header = `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
    return { index, header, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines };
  });
  return { path: input.path, previousPath: input.previousPath, status: input.status, hunks, additions, deletions };
}

/** Git's heuristic: a NUL byte in the first 8,000 bytes means binary. */
export function looksBinary(content: Buffer | string): boolean {
  const head = typeof content === "string" ? content.slice(0, 8_000) : content.subarray(0, 8_000).toString("latin1");
  return head.includes("\u0000");
}
