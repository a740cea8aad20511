import type { ChangedFile, ChangeSet, SkippedFile } from "../domain/change-set.js";
import { buildLineMap } from "./line-map.js";

/** Assembles the immutable ChangeSet from parsed files, skips and fetched head contents. */
export function buildChangeSet(input: {
  files: readonly ChangedFile[];
  skipped?: readonly SkippedFile[];
  headContents?: ReadonlyMap<string, string>;
}): ChangeSet {
  return {
    files: input.files,
    lineMap: buildLineMap(input.files),
    skipped: input.skipped ?? [],
    headContents: input.headContents ?? new Map(),
  };
}
