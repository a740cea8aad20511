/**
 * A GitHub file patch (hunks only) read line by line, with the numbers GitHub
 * uses to anchor review comments: the old/new line number of each line and
 * its diff `position` (the first "@@" line is position 0, every later line —
 * including later "@@" headers — one more).
 */

export type PatchLineKind = "add" | "del" | "context" | "hunk-header" | "no-newline-marker";

export interface PatchLine {
  readonly kind: PatchLineKind;
  readonly text: string;
  readonly position: number;
  readonly hunkIndex: number;
  readonly oldLine: number | null;
  readonly newLine: number | null;
}

export interface ParsedPatch {
  readonly lines: readonly PatchLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parsePatch(patch: string): ParsedPatch {
  const lines: PatchLine[] = [];
  let hunkIndex = -1;
  let oldLine = 0;
  let newLine = 0;
  patch.split("\n").forEach((text, position) => {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      hunkIndex++;
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      lines.push({ kind: "hunk-header", text, position, hunkIndex, oldLine: null, newLine: null });
      return;
    }
    if (hunkIndex < 0) return;
    const marker = text.charAt(0);
    if (marker === "+") lines.push({ kind: "add", text, position, hunkIndex, oldLine: null, newLine: newLine++ });
    else if (marker === "-") lines.push({ kind: "del", text, position, hunkIndex, oldLine: oldLine++, newLine: null });
    else if (marker === "\\") lines.push({ kind: "no-newline-marker", text, position, hunkIndex, oldLine: null, newLine: null });
    else lines.push({ kind: "context", text, position, hunkIndex, oldLine: oldLine++, newLine: newLine++ });
  });
  return { lines };
}

export type DiffSide = "LEFT" | "RIGHT";

/** The line a comment on (`line`, `side`) attaches to: RIGHT = added/context by new number, LEFT = deleted/context by old number. */
export function findLine(patch: ParsedPatch, line: number, side: DiffSide): PatchLine | null {
  for (const candidate of patch.lines) {
    if (side === "RIGHT" && (candidate.kind === "add" || candidate.kind === "context") && candidate.newLine === line) return candidate;
    if (side === "LEFT" && (candidate.kind === "del" || candidate.kind === "context") && candidate.oldLine === line) return candidate;
  }
  return null;
}

export function lineAtPosition(patch: ParsedPatch, position: number): PatchLine | null {
  const found = patch.lines.find((l) => l.position === position);
  return found && (found.kind === "add" || found.kind === "del" || found.kind === "context") ? found : null;
}

/** GitHub's `diff_hunk`: the hunk's header through the commented line. */
export function diffHunkUpTo(patch: ParsedPatch, target: PatchLine): string {
  return patch.lines
    .filter((l) => l.hunkIndex === target.hunkIndex && l.position <= target.position)
    .map((l) => l.text)
    .join("\n");
}
