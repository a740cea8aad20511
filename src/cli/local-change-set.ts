import type { ChangedFile, ChangeSet, SkippedFile } from "../domain/change-set.js";
import { changedLineCount } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { classifyContent, partitionFiles, type FileFilterOptions } from "../diff/file-filter.js";
import { parseUnifiedDiff } from "../diff/parse-unified-diff.js";
import type { HeadContent, HeadReader } from "./head-content.js";

/**
 * A local unified diff → ChangeSet, with the same skip rules as the GitHub
 * source (`github/fetch-change-set.ts`): path filters and status first, then
 * content checks (generated markers, minified lines) on the head version.
 */

export async function buildLocalChangeSet(diffText: string, filter: FileFilterOptions, readHead: HeadReader | null): Promise<ChangeSet> {
  const files = parseUnifiedDiff(diffText);
  const { kept, skipped: filtered } = partitionFiles(files, filter);
  const skipped: SkippedFile[] = [...filtered];

  const readable = kept.filter((f) => f.status !== "removed").map((f) => f.path);
  const contents = readHead && readable.length > 0 ? await readHead(readable) : new Map<string, HeadContent>();

  const headContents = new Map<string, string>();
  const reviewable: ChangedFile[] = [];
  for (const file of kept) {
    const content = contents.get(file.path);
    const text = content?.kind === "text" ? content.text : null;
    if (text !== null && filter.skipGenerated) {
      const verdict = classifyContent(text);
      if (verdict) {
        skipped.push({ path: file.path, reason: verdict.reason, lines: changedLineCount(file), detail: verdict.detail });
        continue;
      }
    }
    if (text !== null) headContents.set(file.path, text);
    reviewable.push(file);
  }
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return buildChangeSet({ files: reviewable, skipped, headContents });
}
