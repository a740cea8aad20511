import type { FlaggedSecret } from "../analyzers/analyzer.js";
import type { ChangeSet } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { createRedactor, rangesByPath, type Redactor } from "../redact/index.js";

/**
 * The copy of a change the model may see: secrets in head contents, hunks
 * (both sides) and free text replaced by placeholders, with the credentials
 * the analyzers flagged (`flagged`, offsets in head contents) among them.
 * Analyzers keep working on the original; only what is sent to the model goes
 * through here.
 */
export async function redactChangeSet(changeSet: ChangeSet, redactor: Redactor = createRedactor(), flagged: readonly FlaggedSecret[] = []): Promise<ChangeSet> {
  const flaggedByPath = rangesByPath(flagged);
  const headContents = new Map<string, string>();
  for (const [path, content] of changeSet.headContents) {
    headContents.set(path, await redactor.redactFile(path, content, flaggedByPath.get(path) ?? []));
  }
  for (const file of changeSet.files) {
    // Deleted and oversized files have no head content; learn their secrets from the diff itself.
    if (!changeSet.headContents.has(file.path)) {
      await redactor.redactFile(file.path, file.hunks.flatMap((h) => h.lines.map((l) => l.text)).join("\n"));
    }
  }
  const files = changeSet.files.map((file) => ({ ...file, hunks: file.hunks.map((hunk) => redactor.redactHunk(file.path, hunk)) }));
  return buildChangeSet({ files, skipped: changeSet.skipped, headContents });
}

export { createRedactor, type Redactor };
