import { z } from "zod";
import type { ChangedFile } from "../domain/change-set.js";
import { DiffParseError, parseFilePatch } from "../diff/parse-unified-diff.js";
import type { GitHub, PullRef } from "./client.js";
import { PullRequestFileSchema } from "./schemas.js";

/** GitHub's compare API lists at most this many files; a larger increment is reviewed in full. */
const COMPARE_FILE_CAP = 300;

export interface Increment {
  readonly from: string;
  readonly files: readonly ChangedFile[];
  /** Files changed without a patch (binary or too large): all their hunks count as touched. */
  readonly wholeFiles: ReadonlySet<string>;
}

const CompareSchema = z.object({
  status: z.enum(["diverged", "ahead", "behind", "identical"]),
  files: z.array(PullRequestFileSchema).optional().default([]),
});

/**
 * What changed between the last reviewed head and the new one, when the new
 * head descends from it. Null after a force-push (history rewritten) or when
 * the increment is too large for the compare API: review everything then.
 */
export async function changesSince(gh: GitHub, ref: PullRef, from: string, to: string): Promise<Increment | null> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ owner: ref.owner, repo: ref.repo, basehead: `${from}...${to}`, per_page: 100 });
  const compare = CompareSchema.parse(data);
  if (compare.status !== "ahead" || compare.files.length >= COMPARE_FILE_CAP) return null;
  const files: ChangedFile[] = [];
  const wholeFiles = new Set<string>();
  for (const f of compare.files) {
    const status = f.status === "changed" || f.status === "unchanged" ? "modified" : f.status;
    const parsed = f.patch === undefined ? null : readPatch(f.filename, f.previous_filename ?? null, status, f.patch);
    if (parsed) files.push(parsed);
    // No patch, or one that cannot be trusted: every hunk of the file counts as touched.
    else wholeFiles.add(f.filename);
  }
  return { from, files, wholeFiles };
}

function readPatch(path: string, previousPath: string | null, status: ChangedFile["status"], patch: string): ChangedFile | null {
  try {
    return parseFilePatch({ path, previousPath, status, patch });
  } catch (error) {
    if (error instanceof DiffParseError) return null;
    throw error;
  }
}
