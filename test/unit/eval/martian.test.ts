import { describe, expect, test } from "@jest/globals";
import {
  caseIdOf,
  diffFileName,
  dominantLanguage,
  inferPath,
  mapCategory,
  MartianGoldenSchema,
  parsePullRequestRef,
  toCase,
} from "../../../src/eval/martian.js";
import { CaseFileSchema } from "../../../src/eval/case-schema.js";

const DIFF = [
  "diff --git a/pkg/expr/sql/db.go b/pkg/expr/sql/db.go",
  "--- a/pkg/expr/sql/db.go",
  "+++ b/pkg/expr/sql/db.go",
  "@@ -1,2 +1,3 @@",
  " package sql",
  "+",
  "+func RunCommands() error { return nil }",
  "diff --git a/pkg/expr/reader.go b/pkg/expr/reader.go",
  "--- a/pkg/expr/reader.go",
  "+++ b/pkg/expr/reader.go",
  "@@ -1 +1,2 @@",
  " package expr",
  "+// reader",
  "diff --git a/web/app.ts b/web/app.ts",
  "--- a/web/app.ts",
  "+++ b/web/app.ts",
  "@@ -1 +1,2 @@",
  " export {};",
  "+export const x = 1;",
  "",
].join("\n");

describe("pull request references", () => {
  test.each([
    ["https://github.com/grafana/grafana/pull/79265", { owner: "grafana", repo: "grafana", number: 79265 }],
    ["grafana/grafana#79265", { owner: "grafana", repo: "grafana", number: 79265 }],
    ["https://github.com/ai-code-review-evaluation/sentry-greptile/pull/1/", { owner: "ai-code-review-evaluation", repo: "sentry-greptile", number: 1 }],
  ])("%s", (text, ref) => {
    expect(parsePullRequestRef(text)).toEqual(ref);
  });

  test("anything else is null", () => {
    expect(parsePullRequestRef("grafana#1")).toBeNull();
    expect(parsePullRequestRef("https://github.com/grafana/grafana/issues/1")).toBeNull();
  });

  test("diff file names and case ids", () => {
    const ref = { owner: "getsentry", repo: "sentry", number: 93824 };
    expect(diffFileName(ref)).toBe("getsentry__sentry__93824.diff");
    expect(caseIdOf(ref)).toBe("martian-getsentry-sentry-93824");
  });
});

describe("golden comments → case", () => {
  const golden = MartianGoldenSchema.parse([
    {
      pr_title: "Advanced SQL Analytics Framework",
      url: "https://github.com/grafana/grafana/pull/94942",
      original_url: "https://github.com/grafana/grafana/pull/1",
      comments: [
        { comment: "The DB methods in pkg/expr/sql/db.go return hardcoded 'not implemented' errors.", severity: "High" },
        { comment: "The enableSqlExpressions function always returns false.", severity: "Critical" },
        { comment: "Token leak in app.ts", severity: "Low", category: "security" },
        { comment: "Explicit location", severity: "Medium", file: "pkg/expr/reader.go", line: 2 },
        { comment: "Named file is not in the diff", severity: "Medium", file: "other.go" },
      ],
    },
  ]);
  const pr = golden[0]!;
  const imported = toCase(pr, parsePullRequestRef(pr.url!)!, DIFF);

  test("maps severities, infers files, keeps explicit lines and validates as a case file", () => {
    expect(imported.file.id).toBe("martian-grafana-grafana-94942");
    expect(imported.file.title).toBe("Advanced SQL Analytics Framework");
    expect(imported.file.description).toContain("https://github.com/grafana/grafana/pull/1");
    expect(imported.file.language).toBe("go");
    expect(imported.file.expected.map((e) => [e.path, e.line_start, e.category, e.severity])).toEqual([
      ["pkg/expr/sql/db.go", null, "any", "P1"],
      [null, null, "any", "P0"],
      ["web/app.ts", null, "security", "P3"],
      ["pkg/expr/reader.go", 2, "any", "P2"],
      [null, null, "any", "P2"],
    ]);
    expect(imported.warnings).toEqual([expect.stringContaining("other.go")]);
    expect(CaseFileSchema.safeParse(imported.file).success).toBe(true);
  });

  test("accepts `pr` instead of `url` and rejects entries with neither", () => {
    expect(MartianGoldenSchema.safeParse([{ pr: "a/b#1", comments: [] }]).success).toBe(true);
    expect(MartianGoldenSchema.safeParse([{ pr_title: "x", comments: [] }]).success).toBe(false);
    expect(MartianGoldenSchema.safeParse([{ url: "a/b#1", comments: [{ comment: "x", severity: "Urgent" }] }]).success).toBe(false);
  });
});

describe("inferPath", () => {
  const paths = ["pkg/expr/sql/db.go", "pkg/expr/reader.go", "pkg/other/reader.go", "web/app.ts"];

  test("a full path or a unique file name names the file", () => {
    expect(inferPath("see pkg/expr/sql/db.go", paths)).toBe("pkg/expr/sql/db.go");
    expect(inferPath("In db.go, the methods …", paths)).toBe("pkg/expr/sql/db.go");
  });

  test("an ambiguous file name, several files or none name nothing", () => {
    expect(inferPath("reader.go leaks", paths)).toBeNull();
    expect(inferPath("db.go and app.ts disagree", paths)).toBeNull();
    expect(inferPath("a race in the cache", paths)).toBeNull();
    expect(inferPath("mydb.go", paths)).toBeNull();
  });
});

describe("categories and languages", () => {
  test("known categories map to ours, unknown or missing ones to `any`", () => {
    expect(mapCategory("Security")).toBe("security");
    expect(mapCategory("concurrency")).toBe("bug");
    expect(mapCategory("maintainability")).toBe("any");
    expect(mapCategory(undefined)).toBe("any");
  });

  test("the language with the most changed lines", () => {
    expect(
      dominantLanguage([
        { path: "a.py", additions: 3, deletions: 0 },
        { path: "b.ts", additions: 1, deletions: 1 },
        { path: "README.md", additions: 40, deletions: 0 },
      ]),
    ).toBe("python");
    expect(dominantLanguage([{ path: "README.md", additions: 1, deletions: 0 }])).toBe("unknown");
  });
});
