import type { FileStatus } from "../../src/domain/change-set.js";

/** Every `FileStatus`; `satisfies` keeps the list in step with the union. */
export const FILE_STATUSES: readonly FileStatus[] = [
  "added",
  "modified",
  "removed",
  "renamed",
  "copied",
  "binary",
  "mode-only",
] as const satisfies readonly FileStatus[];
