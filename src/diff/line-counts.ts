import type { ChangedFile } from "../domain/change-set.js";

/** The file with `additions` and `deletions` counted from its hunks. */
export function withLineCounts(file: Omit<ChangedFile, "additions" | "deletions">): ChangedFile {
  let additions = 0;
  let deletions = 0;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "add") additions++;
      else if (line.kind === "del") deletions++;
    }
  }
  return { ...file, additions, deletions };
}
