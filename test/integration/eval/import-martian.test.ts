import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { loadDataset } from "../../../src/eval/load-dataset.js";
import { EvalResultSchema } from "../../../src/eval/result.js";
import { runEvalCli, tempDir, type TempDir } from "./run-eval-cli.js";

/** Martian's golden comments + local diffs → cases the harness runs (diff-only: no head/ tree). */

const GOLDEN = [
  {
    pr_title: "Frontend Asset Optimization",
    url: "https://github.com/grafana/grafana/pull/90939",
    comments: [
      { comment: "In webassets.go the cache is overwritten with nil when fetching fails.", severity: "High" },
      { comment: "Incomplete double-checked locking.", severity: "Medium" },
    ],
  },
  { pr_title: "Not downloaded", url: "https://github.com/grafana/grafana/pull/1", comments: [{ comment: "x", severity: "Low" }] },
  { pr_title: "Bad reference", url: "grafana", comments: [] },
];

const DIFF = [
  "diff --git a/pkg/api/webassets/webassets.go b/pkg/api/webassets/webassets.go",
  "--- a/pkg/api/webassets/webassets.go",
  "+++ b/pkg/api/webassets/webassets.go",
  "@@ -1,3 +1,5 @@",
  " package webassets",
  " ",
  "+var entryPointAssetsCache *dtos.EntryPointAssets",
  "+",
  " func GetWebAssets() {}",
  "",
].join("\n");

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir("longview-eval-martian-");
  await dir.write("golden/grafana.json", JSON.stringify(GOLDEN));
  await dir.write("diffs/grafana__grafana__90939.diff", DIFF);
});

afterAll(async () => {
  await dir.remove();
});

describe("import-martian", () => {
  test("writes one case per pull request with a diff, and lists the rest", async () => {
    const run = await runEvalCli([
      "import-martian",
      "--input",
      join(dir.path, "golden/grafana.json"),
      "--diffs",
      join(dir.path, "diffs"),
      "--out",
      join(dir.path, "cases"),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Imported 1 case(s) into ${join(dir.path, "cases")}\n`);
    expect(run.stderr).toContain("grafana__grafana__1.diff");
    expect(run.stderr).toContain('"grafana" is neither owner/repo#n nor a pull request URL');

    const caseDir = join(dir.path, "cases", "martian-grafana-grafana-90939");
    expect(await readFile(join(caseDir, "diff.patch"), "utf8")).toBe(DIFF);
    expect(parseYaml(await readFile(join(caseDir, "case.yaml"), "utf8"))).toEqual({
      id: "martian-grafana-grafana-90939",
      title: "Frontend Asset Optimization",
      description: "Imported from Martian's code-review benchmark.",
      language: "go",
      expected: [
        {
          path: "pkg/api/webassets/webassets.go",
          line_start: null,
          line_end: null,
          category: "any",
          severity: "P1",
          description: GOLDEN[0]!.comments[0]!.comment,
        },
        { path: null, line_start: null, line_end: null, category: "any", severity: "P2", description: "Incomplete double-checked locking." },
      ],
    });
  });

  test("the imported cases load and run from the diff alone (no head/ tree)", async () => {
    const cases = await loadDataset(join(dir.path, "cases"));
    expect(cases).toHaveLength(1);
    expect(cases[0]?.headDir).toBeNull();
    const run = await runEvalCli(["--dataset", join(dir.path, "cases"), "--offline", "--out", join(dir.path, "out"), "-q"]);
    expect(run.code).toBe(0);
    const result = EvalResultSchema.parse(JSON.parse(await readFile(join(dir.path, "out", "result.json"), "utf8")));
    expect(result.overall).toMatchObject({ expected: 2, findings: 0, recall: 0 });
    expect(result.byCategory.any).toMatchObject({ expected: 2 });
  });

  test("a file that is not a golden-comments list is a usage error", async () => {
    await dir.write("golden/bad.json", JSON.stringify({ comments: [] }));
    const run = await runEvalCli(["import-martian", "--input", join(dir.path, "golden/bad.json"), "--diffs", dir.path, "--out", join(dir.path, "x")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not a golden-comments list");
  });
});

describe("dataset errors", () => {
  test.each([
    ["a line past the end of the file", "a.ts", 9, "line_end 9 is past the file's last line (2)"],
    ["a file outside the change", "other.ts", 1, "the file is not part of the change"],
  ])("%s stops the run, naming the case and the problem", async (_, path, lineEnd, message) => {
    const ds = await tempDir("longview-eval-bad-");
    try {
      await ds.write("bad/head/a.ts", "const a = 1;\nexport { a };\n");
      await ds.write(
        "bad/case.yaml",
        `id: bad\ntitle: Bad\nlanguage: typescript\nexpected:\n  - { path: ${path}, line_start: 1, line_end: ${lineEnd}, category: bug, severity: P1, description: x }\n`,
      );
      const run = await runEvalCli(["--dataset", ds.path, "--offline", "--out", join(ds.path, "out")]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain(join(ds.path, "bad"));
    } finally {
      await ds.remove();
    }
  });

  test("a diff.patch that is not a diff stops the run", async () => {
    const ds = await tempDir("longview-eval-bad-");
    try {
      await ds.write("bad/diff.patch", "just some notes\n");
      await ds.write("bad/case.yaml", "id: bad\ntitle: Bad\nlanguage: go\n");
      const run = await runEvalCli(["--dataset", ds.path, "--offline", "--out", join(ds.path, "out")]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`eval: ${join(ds.path, "bad", "diff.patch")}: is not a unified diff\n`);
    } finally {
      await ds.remove();
    }
  });

  test("an unknown --case id is a usage error", async () => {
    const run = await runEvalCli(["--dataset", join(process.cwd(), "eval", "cases"), "--offline", "--case", "nope", "--out", "/tmp/unused"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--case: no case with id "nope"');
  });
});
