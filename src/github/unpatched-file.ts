import type { PullRequestFile } from "./schemas.js";

/**
 * What a file is that GitHub lists with no patch and no changed lines: binary
 * content (GitHub never diffs binaries), an empty file, a mode change, or a
 * rename or copy that kept its content. The listing does not say; blob ids
 * do: a binary that changed has a new blob, while a mode change or a pure
 * rename keeps the blob the file had at base.
 */

export type UnpatchedKind = "binary" | "empty" | "same-content";

/** git's id of the empty blob: an added or deleted file with this id has nothing in it. */
export const EMPTY_BLOB_SHA = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

/** `baseBlob` gives a path's blob id at base, or null when it cannot be known. */
export async function classifyUnpatched(file: PullRequestFile, baseBlob: (path: string) => Promise<string | null>): Promise<UnpatchedKind> {
  switch (file.status) {
    case "added":
    case "removed":
      // Listed with its only blob (for a removed file, the one it had at base).
      return file.sha === EMPTY_BLOB_SHA ? "empty" : "binary";
    case "modified":
    case "changed":
    case "renamed":
    case "copied":
    case "unchanged": {
      const before = await baseBlob(file.previous_filename ?? file.filename);
      if (before !== null && file.sha) return before === file.sha ? "same-content" : "binary";
      // Base unknown: judge by what GitHub's status implies (text changes always come with lines).
      return file.status === "modified" ? "binary" : "same-content";
    }
  }
}
