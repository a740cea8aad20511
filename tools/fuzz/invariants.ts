import type { ChangedFile, LineMap, Side } from "../../src/domain/change-set.js";
import { FILE_STATUSES } from "./statuses.js";

/**
 * What must hold for any parse result, whatever the input: checked by the
 * fuzz targets. Each check throws an `InvariantViolation` naming what broke.
 */

export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantViolation";
  }
}

function fail(message: string): never {
  throw new InvariantViolation(message);
}

/** Structural soundness of parsed files: the guarantees every later stage relies on. */
export function checkParsedFiles(files: readonly ChangedFile[]): void {
  for (const file of files) {
    const where = `file ${JSON.stringify(file.path.slice(0, 60))}`;
    if (typeof file.path !== "string" || file.path === "") fail(`${where}: empty path`);
    if (!FILE_STATUSES.includes(file.status)) fail(`${where}: unknown status ${String(file.status)}`);
    let additions = 0;
    let deletions = 0;
    let lastOld = 0;
    let lastNew = 0;
    file.hunks.forEach((hunk, i) => {
      const at = `${where} hunk ${i}`;
      if (hunk.index !== i) fail(`${at}: index ${hunk.index}`);
      if (hunk.lines.length === 0) fail(`${at}: no lines`);
      let nextOld = hunk.oldStart;
      let nextNew = hunk.newStart;
      let oldCount = 0;
      let newCount = 0;
      for (const line of hunk.lines) {
        if (line.text.includes("\n") || line.text.endsWith("\r")) fail(`${at}: a line's text holds a line terminator`);
        const wantsOld = line.kind !== "add";
        const wantsNew = line.kind !== "del";
        if (wantsOld !== (line.oldLine !== null) || wantsNew !== (line.newLine !== null))
          fail(`${at}: ${line.kind} line with numbers ${line.oldLine}/${line.newLine}`);
        if (line.oldLine !== null) {
          if (line.oldLine !== nextOld++) fail(`${at}: old line ${line.oldLine} out of sequence`);
          if (!Number.isSafeInteger(line.oldLine) || line.oldLine < 1) fail(`${at}: old line ${line.oldLine}`);
          if (line.oldLine <= lastOld) fail(`${at}: old line ${line.oldLine} overlaps an earlier hunk`);
          oldCount++;
        }
        if (line.newLine !== null) {
          if (line.newLine !== nextNew++) fail(`${at}: new line ${line.newLine} out of sequence`);
          if (!Number.isSafeInteger(line.newLine) || line.newLine < 1) fail(`${at}: new line ${line.newLine}`);
          if (line.newLine <= lastNew) fail(`${at}: new line ${line.newLine} overlaps an earlier hunk`);
          newCount++;
        }
        if (line.kind === "add") additions++;
        if (line.kind === "del") deletions++;
      }
      if (hunk.oldLines !== oldCount || hunk.newLines !== newCount) fail(`${at}: counts ${hunk.oldLines}/${hunk.newLines}, holds ${oldCount}/${newCount}`);
      if (oldCount > 0) lastOld = hunk.oldStart + oldCount - 1;
      if (newCount > 0) lastNew = hunk.newStart + newCount - 1;
    });
    if (file.additions !== additions || file.deletions !== deletions)
      fail(`${where}: counts +${file.additions} -${file.deletions}, holds +${additions} -${deletions}`);
  }
}

/** The line map agrees with the hunks it was built from, for listed lines and any query. */
export function checkLineMap(map: LineMap, files: readonly ChangedFile[], queries: readonly LineQuery[]): void {
  const commentable = new Map<string, Map<number, number>>();
  const key = (path: string, side: Side) => `${side}\u0000${path}`;
  for (const file of files) {
    const right = new Map<number, number>();
    const left = new Map<number, number>();
    for (const hunk of file.hunks) {
      for (const l of hunk.lines) {
        if (l.newLine !== null) right.set(l.newLine, hunk.index);
        if (l.oldLine !== null) left.set(l.oldLine, hunk.index);
      }
    }
    commentable.set(key(file.path, "RIGHT"), right);
    commentable.set(key(file.path, "LEFT"), left);
    if (!map.hasFile(file.path)) fail(`hasFile(${file.path}) is false`);
  }
  for (const file of files) {
    for (const hunk of file.hunks) {
      for (const l of hunk.lines) {
        const side: Side = l.newLine !== null ? "RIGHT" : "LEFT";
        const n = (side === "RIGHT" ? l.newLine : l.oldLine)!;
        const got = map.locate(file.path, n, side);
        if (got === null || got.hunkIndex !== hunk.index || got.path !== file.path) fail(`locate(${file.path}, ${n}, ${side}) = ${JSON.stringify(got)}`);
      }
    }
  }
  for (const q of queries) {
    const index = commentable.get(key(q.path, q.side));
    const hunkOf = (n: number) => (Number.isInteger(n) ? index?.get(n) : undefined);
    const located = map.locate(q.path, q.line, q.side);
    if ((located !== null) !== (hunkOf(q.line) !== undefined)) fail(`locate(${q.path}, ${q.line}, ${q.side}) = ${JSON.stringify(located)}`);
    if (located !== null && located.hunkIndex !== hunkOf(q.line)) fail(`locate(${q.path}, ${q.line}, ${q.side}) in the wrong hunk`);

    const range = map.isCommentableRange(q.path, q.startLine, q.line, q.side);
    const a = hunkOf(q.startLine);
    const b = hunkOf(q.line);
    const expected = a !== undefined && b !== undefined && a === b && q.startLine <= q.line;
    if (range !== expected) fail(`isCommentableRange(${q.path}, ${q.startLine}, ${q.line}, ${q.side}) = ${range}`);

    const nearest = map.nearestCommentable(q.path, q.line, q.side, q.maxDistance);
    if (nearest !== null) {
      if (hunkOf(nearest) === undefined) fail(`nearestCommentable gave ${nearest}, which is not commentable`);
      if (Math.abs(nearest - q.line) > q.maxDistance) fail(`nearestCommentable gave ${nearest}, farther than ${q.maxDistance} from ${q.line}`);
    } else if (index && Number.isInteger(q.line)) {
      for (const n of index.keys()) {
        if (Math.abs(n - q.line) <= q.maxDistance) fail(`nearestCommentable found nothing, but ${n} is within ${q.maxDistance} of ${q.line}`);
      }
    }
  }
}

export interface LineQuery {
  readonly path: string;
  readonly line: number;
  readonly startLine: number;
  readonly side: Side;
  readonly maxDistance: number;
}
