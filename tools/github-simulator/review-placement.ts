import { diffHunkUpTo, findLine, lineAtPosition, type DiffSide, type ParsedPatch, type PatchLine } from "./patch-lines.js";

/**
 * Where GitHub accepts a review comment. Pure: given the file's parsed patch
 * (or null when the file is not in the diff) and the comment's anchor, either
 * the stored anchor or the problems, in GitHub's words.
 */

export interface AnchorRequest {
  readonly line?: number | undefined;
  readonly side?: string | undefined;
  readonly startLine?: number | undefined;
  readonly startSide?: string | undefined;
  readonly position?: number | undefined;
}

export interface Anchor {
  readonly line: number;
  readonly side: DiffSide;
  readonly startLine: number | null;
  readonly startSide: DiffSide | null;
  readonly position: number;
  readonly diffHunk: string;
}

/** One failed rule: GitHub's attribute of `pull_request_review_thread` and its message. */
export interface PlacementProblem {
  readonly attribute: "path" | "line" | "start_line" | "side" | "start_side" | "diff_hunk" | "position";
  readonly text: string;
}

export type PlacementResult = { readonly ok: true; readonly anchor: Anchor } | { readonly ok: false; readonly problems: readonly PlacementProblem[] };

const BLANK_HUNK: PlacementProblem = { attribute: "diff_hunk", text: "can't be blank" };

export function placeComment(patch: ParsedPatch | null, fileInDiff: boolean, request: AnchorRequest): PlacementResult {
  if (!fileInDiff) return fail({ attribute: "path", text: "is invalid" }, BLANK_HUNK);
  const side = request.side ?? "RIGHT";
  if (side !== "LEFT" && side !== "RIGHT") return fail({ attribute: "side", text: "is not included in the list" }, BLANK_HUNK);
  const startSide = request.startSide ?? side;
  if (startSide !== "LEFT" && startSide !== "RIGHT") return fail({ attribute: "start_side", text: "is not included in the list" }, BLANK_HUNK);

  const target = locateEnd(patch, request, side);
  if (!target) {
    const lineProblem: PlacementProblem =
      request.line === undefined && request.position !== undefined
        ? { attribute: "position", text: "is invalid" }
        : { attribute: "line", text: "must be part of the diff" };
    const startProblems = request.startLine === undefined ? [] : [startOutsideHunk()];
    return fail(lineProblem, ...startProblems, BLANK_HUNK);
  }
  if (!patch) return fail(BLANK_HUNK);

  let startLine: number | null = null;
  if (request.startLine !== undefined) {
    const start = findLine(patch, request.startLine, startSide);
    if (!start || start.hunkIndex !== target.line.hunkIndex) return fail(startOutsideHunk());
    if (start.position >= target.line.position) return fail({ attribute: "start_line", text: "must precede the end line." });
    startLine = request.startLine;
  }
  return {
    ok: true,
    anchor: {
      line: target.number,
      side: target.side,
      startLine,
      startSide: startLine === null ? null : startSide,
      position: target.line.position,
      diffHunk: diffHunkUpTo(patch, target.line),
    },
  };
}

/** Review-form sentence: "Pull request review thread line must be part of the diff". */
export function reviewSentence(problem: PlacementProblem): string {
  return `Pull request review thread ${problem.attribute.replace(/_/g, " ")} ${problem.text}`;
}

/** Field-form message: "pull_request_review_thread.line must be part of the diff". */
export function fieldMessage(problem: PlacementProblem): string {
  return `pull_request_review_thread.${problem.attribute} ${problem.text}`;
}

function locateEnd(patch: ParsedPatch | null, request: AnchorRequest, side: DiffSide): { line: PatchLine; number: number; side: DiffSide } | null {
  if (!patch) return null;
  if (request.line !== undefined) {
    const line = findLine(patch, request.line, side);
    return line ? { line, number: request.line, side } : null;
  }
  if (request.position === undefined) return null;
  const line = lineAtPosition(patch, request.position);
  if (!line) return null;
  return line.kind === "del" ? { line, number: line.oldLine ?? 0, side: "LEFT" } : { line, number: line.newLine ?? 0, side: "RIGHT" };
}

function startOutsideHunk(): PlacementProblem {
  return { attribute: "start_line", text: "must be part of the same hunk as the line." };
}

function fail(...problems: PlacementProblem[]): PlacementResult {
  return { ok: false, problems };
}
