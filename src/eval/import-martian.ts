import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify as toYaml } from "yaml";
import { z } from "zod";
import { errorMessage, systemErrorCode, UsageError } from "../cli/io.js";
import { parseUnifiedDiff } from "../diff/parse-unified-diff.js";
import { diffFileName, MartianGoldenSchema, parsePullRequestRef, toCase } from "./martian.js";

/**
 * `import-martian`: reads a golden-comments file and, for each pull request
 * whose diff is in `diffsDir`, writes `outDir/<case-id>/case.yaml` and
 * `diff.patch`. Pull requests without a local diff are listed, not fatal.
 */

export interface ImportOptions {
  readonly input: string;
  readonly diffsDir: string;
  readonly outDir: string;
}

export interface ImportSummary {
  readonly written: readonly string[];
  /** Expected diff files that were not found. */
  readonly missingDiffs: readonly string[];
  readonly warnings: readonly string[];
}

export async function importMartian(options: ImportOptions): Promise<ImportSummary> {
  const golden = await readGolden(options.input);
  const written: string[] = [];
  const missingDiffs: string[] = [];
  const warnings: string[] = [];
  for (const [i, pr] of golden.entries()) {
    const refText = pr.url ?? pr.pr ?? "";
    const ref = parsePullRequestRef(refText);
    if (ref === null) {
      warnings.push(`pull request ${i + 1}: "${refText}" is neither owner/repo#n nor a pull request URL; skipped`);
      continue;
    }
    const diffPath = join(options.diffsDir, diffFileName(ref));
    const diffText = await readOptional(diffPath);
    if (diffText === null) {
      missingDiffs.push(diffPath);
      continue;
    }
    if (parseUnifiedDiff(diffText).length === 0) {
      warnings.push(`${diffPath} is not a unified diff; skipped`);
      continue;
    }
    const imported = toCase(pr, ref, diffText);
    warnings.push(...imported.warnings);
    const dir = join(options.outDir, imported.file.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "case.yaml"), toYaml(imported.file, { lineWidth: 0 }), "utf8");
    await writeFile(join(dir, "diff.patch"), diffText, "utf8");
    written.push(dir);
  }
  return { written, missingDiffs, warnings };
}

async function readGolden(path: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--input: cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  }
  const parsed = MartianGoldenSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--input: ${path} is not a golden-comments list: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (systemErrorCode(error) === "ENOENT") return null;
    throw error;
  }
}
