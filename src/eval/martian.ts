import { z } from "zod";
import { parseUnifiedDiff } from "../diff/parse-unified-diff.js";
import { extensionOf } from "../analyzers/analyzable-files.js";
import type { ChangedFile } from "../domain/change-set.js";
import { ExpectedSeveritySchema, type CaseFile, type ExpectedCategory } from "./case-schema.js";

/**
 * The golden comments of Martian's code-review benchmark
 * (github.com/withmartian/code-review-benchmark, `offline/golden_comments/*.json`)
 * → our case format. Each file there is a list of pull requests:
 * `{ pr_title, url, original_url?, comments: [{ comment, severity }] }`.
 * We also accept `pr` ("owner/repo#n" or a PR URL) instead of `url`, and
 * per comment an optional `category`, `file` and `line`.
 *
 * Golden comments name no file or line. A comment is pinned to a file when it
 * names exactly one changed file (by path, or by a file name no other changed
 * file has); otherwise it may match a finding anywhere in the change. Lines
 * are used only when a comment gives both `file` and `line`.
 */

const MartianCommentSchema = z.looseObject({
  comment: z.string().min(1),
  severity: ExpectedSeveritySchema,
  category: z.string().optional(),
  file: z.string().min(1).optional(),
  line: z.number().int().min(1).optional(),
});

const MartianPullRequestSchema = z
  .looseObject({
    pr_title: z.string().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
    pr: z.string().optional(),
    original_url: z.string().optional(),
    comments: z.array(MartianCommentSchema),
  })
  .refine((pr) => pr.url !== undefined || pr.pr !== undefined, { message: "each pull request needs `url` or `pr`" });

export const MartianGoldenSchema = z.array(MartianPullRequestSchema);
export type MartianPullRequest = z.infer<typeof MartianPullRequestSchema>;
export type MartianComment = z.infer<typeof MartianCommentSchema>;

export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

/** `owner/repo#12` or `https://github.com/owner/repo/pull/12` → its parts; null when it is neither. */
export function parsePullRequestRef(text: string): PullRequestRef | null {
  const m = /^(?:https?:\/\/[^/]+\/)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:#|\/pulls?\/)(\d+)\/?$/.exec(text.trim());
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { owner: m[1], repo: m[2], number: Number(m[3]) };
}

/** The name of a PR's diff in `--diffs DIR`: `<owner>__<repo>__<number>.diff`. */
export function diffFileName(ref: PullRequestRef): string {
  return `${ref.owner}__${ref.repo}__${ref.number}.diff`;
}

export function caseIdOf(ref: PullRequestRef): string {
  return `martian-${ref.owner}-${ref.repo}-${ref.number}`.replace(/[^A-Za-z0-9._-]/g, "-");
}

const CATEGORY_MAP: Readonly<Record<string, ExpectedCategory>> = {
  security: "security",
  performance: "performance",
  bug: "bug",
  correctness: "bug",
  concurrency: "bug",
  reliability: "bug",
  logic: "bug",
};

export function mapCategory(category: string | undefined): ExpectedCategory {
  return category === undefined ? "any" : (CATEGORY_MAP[category.trim().toLowerCase()] ?? "any");
}

export interface ImportedCase {
  readonly file: CaseFile;
  /** Problems worth telling the user (a named file that is not in the diff, …). */
  readonly warnings: readonly string[];
}

/** One pull request and its diff → a case (`case.yaml` content; the diff is stored beside it as `diff.patch`). */
export function toCase(pr: MartianPullRequest, ref: PullRequestRef, diffText: string): ImportedCase {
  const files = parseUnifiedDiff(diffText);
  const paths = files.map((f) => f.path);
  const warnings: string[] = [];
  const id = caseIdOf(ref);
  const expected = pr.comments.map((comment, i) => {
    let path = comment.file ?? inferPath(comment.comment, paths);
    if (path !== null && !paths.includes(path)) {
      warnings.push(`${id}: comment ${i + 1} names ${path}, which the diff does not change; it may match anywhere in the change`);
      path = null;
    }
    const line = comment.file !== undefined && path !== null ? (comment.line ?? null) : null;
    return {
      path,
      line_start: line,
      line_end: line,
      category: mapCategory(comment.category),
      severity: comment.severity,
      description: comment.comment.trim(),
    };
  });
  const description =
    pr.original_url && pr.original_url !== pr.url
      ? `Imported from Martian's code-review benchmark; original PR: ${pr.original_url}`
      : "Imported from Martian's code-review benchmark.";
  return {
    file: {
      id,
      title: pr.pr_title ?? pr.title ?? `${ref.owner}/${ref.repo}#${ref.number}`,
      description,
      language: dominantLanguage(files),
      expected,
    },
    warnings,
  };
}

/** The one changed file a comment names, by path or by an unambiguous file name; null when none or several. */
export function inferPath(comment: string, paths: readonly string[]): string | null {
  const named = paths.filter((path) => {
    if (comment.includes(path)) return true;
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (!name.includes(".") || paths.filter((p) => p.endsWith(`/${name}`) || p === name).length > 1) return false;
    return new RegExp(`(^|[^A-Za-z0-9_./-])${escapeRegExp(name)}($|[^A-Za-z0-9_])`).test(comment);
  });
  return named.length === 1 ? (named[0] ?? null) : null;
}

const LANGUAGES: Readonly<Record<string, string>> = {
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  cts: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  py: "python",
  go: "go",
  java: "java",
  kt: "kotlin",
  rb: "ruby",
  php: "php",
  rs: "rust",
  cs: "csharp",
  swift: "swift",
  scala: "scala",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  hpp: "cpp",
};

/** The language with the most changed lines, or `unknown`. */
export function dominantLanguage(files: readonly Pick<ChangedFile, "path" | "additions" | "deletions">[]): string {
  const lines = new Map<string, number>();
  for (const f of files) {
    const language = LANGUAGES[extensionOf(f.path)];
    if (language) lines.set(language, (lines.get(language) ?? 0) + f.additions + f.deletions);
  }
  const ranked = [...lines].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return ranked[0]?.[0] ?? "unknown";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
