import type { ChangeSet, SkippedFile } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { applyContentRules, partitionFiles, type FileFilterOptions } from "../diff/file-filter.js";
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

  const texts = new Map([...contents].map(([path, content]) => [path, content.kind === "text" ? content.text : null]));
  const { reviewable, skipped: generated, headContents } = applyContentRules(kept, (path) => texts.get(path) ?? null, filter.skipGenerated);
  skipped.push(...generated);
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return buildChangeSet({ files: reviewable, skipped, headContents });
}
