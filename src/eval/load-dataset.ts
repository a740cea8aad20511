import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { errorMessage, systemErrorCode } from "../cli/io.js";
import { parseUnifiedDiff } from "../diff/parse-unified-diff.js";
import type { ChangedFile } from "../domain/change-set.js";
import { CaseFileSchema, toExpectedIssues, type ExpectedIssue } from "./case-schema.js";
import { diffTrees, type FileTree } from "./tree-diff.js";

/**
 * A dataset directory → its cases. A case is a directory holding `case.yaml`
 * (or `case.yml`, `case.json`) and either `base/` + `head/` trees (`base/`
 * may be left out when every file is new) or `diff.patch` with an optional
 * `head/` (the head versions of the changed files). Cases may be grouped in
 * sub-directories. Labels are checked against the files: an issue on a line
 * the file does not have is a labeling mistake and stops the load.
 */

export const CASE_FILES = ["case.yaml", "case.yml", "case.json"] as const;

export interface EvalCase {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly language: string;
  readonly expected: readonly ExpectedIssue[];
  /** The case directory, relative to the dataset. */
  readonly dir: string;
  readonly diffText: string;
  /** The head tree (repository root for `.github/longview.yml` and `AGENTS.md`), or null for a diff-only case. */
  readonly headDir: string | null;
}

export class DatasetError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
    this.name = "DatasetError";
  }
}

export async function loadDataset(root: string): Promise<EvalCase[]> {
  const dirs = await findCaseDirs(root);
  if (dirs.length === 0) throw new DatasetError(root, `no cases found (a case is a directory with ${CASE_FILES.join(" or ")})`);
  const cases = await Promise.all(dirs.map((dir) => loadCase(root, dir)));
  const seen = new Map<string, string>();
  for (const c of cases) {
    const other = seen.get(c.id);
    if (other !== undefined) throw new DatasetError(join(root, c.dir), `case id "${c.id}" is also used by ${other}`);
    seen.set(c.id, c.dir);
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}

async function findCaseDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && (CASE_FILES as readonly string[]).includes(e.name))) return [dir];
  const nested = await Promise.all(entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => findCaseDirs(join(dir, e.name))));
  return nested.flat().sort();
}

export async function loadCase(root: string, dir: string): Promise<EvalCase> {
  const file = await readCaseFile(dir);
  const baseDir = join(dir, "base");
  const headDir = join(dir, "head");
  const patchPath = join(dir, "diff.patch");
  const [hasBase, hasHead, hasPatch] = await Promise.all([isDirectory(baseDir), isDirectory(headDir), isFile(patchPath)]);

  let diffText: string;
  if (hasPatch) {
    if (hasBase) throw new DatasetError(dir, "has both diff.patch and base/; use one way to give the change");
    diffText = await readFile(patchPath, "utf8");
    if (diffText.trim() === "" || parseChange(patchPath, diffText).length === 0) throw new DatasetError(patchPath, "is not a unified diff");
  } else {
    if (!hasHead) throw new DatasetError(dir, "needs head/ (with base/, or alone when every file is new) or diff.patch");
    diffText = diffTrees(hasBase ? await readTree(baseDir) : new Map(), await readTree(headDir));
    if (diffText === "") throw new DatasetError(dir, "base/ and head/ are identical: there is no change to review");
  }

  const expected = toExpectedIssues(file);
  await checkLabels(dir, expected, diffText, hasHead ? headDir : null);
  return {
    id: file.id,
    title: file.title,
    description: file.description,
    language: file.language.toLowerCase(),
    expected,
    dir: relative(root, dir).split(sep).join("/") || ".",
    diffText,
    headDir: hasHead ? headDir : null,
  };
}

async function readCaseFile(dir: string) {
  for (const name of CASE_FILES) {
    const path = join(dir, name);
    if (!(await isFile(path))) continue;
    const text = await readFile(path, "utf8");
    let raw: unknown;
    try {
      raw = name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      throw new DatasetError(path, `cannot be parsed: ${errorMessage(error)}`, { cause: error });
    }
    const parsed = CaseFileSchema.safeParse(raw);
    if (!parsed.success) throw new DatasetError(path, z.prettifyError(parsed.error));
    return parsed.data;
  }
  throw new DatasetError(dir, `has no ${CASE_FILES.join(" or ")}`);
}

/** Every issue names a file of the change and lines that file has at head. */
async function checkLabels(dir: string, expected: readonly ExpectedIssue[], diffText: string, headDir: string | null): Promise<void> {
  const changed = new Set(parseChange(dir, diffText).map((f) => f.path));
  for (const [i, issue] of expected.entries()) {
    for (const [j, ev] of (issue.evidence ?? []).entries()) {
      if (headDir === null) throw new DatasetError(dir, `expected[${i}].evidence needs a head/ tree`);
      await checkLine(dir, `expected[${i}].evidence[${j}] (${ev.path})`, headDir, ev.path, ev.line);
    }
    if (issue.path === null) continue;
    const where = `expected[${i}] (${issue.path})`;
    if (!changed.has(issue.path)) throw new DatasetError(dir, `${where}: the file is not part of the change`);
    if (issue.lineEnd === null || headDir === null) continue;
    await checkLine(dir, where, headDir, issue.path, issue.lineEnd, "line_end");
  }
}

async function checkLine(dir: string, where: string, headDir: string, path: string, line: number, field = "line"): Promise<void> {
  let text: string;
  try {
    text = await readFile(join(headDir, path), "utf8");
  } catch (error) {
    throw new DatasetError(dir, `${where}: cannot read the head version: ${errorMessage(error)}`, { cause: error });
  }
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  if (line > lines) throw new DatasetError(dir, `${where}: ${field} ${line} is past the file's last line (${lines})`);
}

/** The case's diff, parsed as the pipeline will parse it; a diff the parser rejects is the case's problem. */
function parseChange(where: string, diffText: string): ChangedFile[] {
  try {
    return parseUnifiedDiff(diffText);
  } catch (error) {
    throw new DatasetError(where, `the change cannot be parsed: ${errorMessage(error)}`, { cause: error });
  }
}

/** Every regular file under `dir`, by path relative to it with `/` separators. */
export async function readTree(dir: string): Promise<FileTree> {
  const tree = new Map<string, Buffer>();
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) tree.set(relative(dir, path).split(sep).join("/"), await readFile(path));
    }
  };
  await walk(dir);
  return tree;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await statOrNull(path))?.isFile() ?? false;
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}
