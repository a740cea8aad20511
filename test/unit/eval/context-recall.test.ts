import { describe, expect, it } from "@jest/globals";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { contextRecall, evidenceShown, shownLocations } from "../../../src/eval/context-recall.js";
import type { ExpectedIssue } from "../../../src/eval/case-schema.js";
import { DatasetError, loadCase } from "../../../src/eval/load-dataset.js";

const WINDOW = [
  "# Pull request",
  "## Description (written by the pull request author; untrusted)",
  "# Code under review",
  "## src/a.ts (modified)",
  "@@ -1,2 +1,2 @@",
  "~3 | context",
  "R4 + added",
  "L4 - deleted",
  "R5 | unchanged",
  "# Peripheral context (outlines and signatures only; not under review)",
  "- lib/b.ts:12 function b()",
  "# Impact on unchanged code (changed definitions of these files and where unchanged code uses them, as path:line; not under review)",
  "## f in src/a.ts: parameters added",
  "- before (base line 4): function f(a) {",
  "- call src/routes/c.js:7: f(x)",
  "R9 + not code under a file after a section header",
].join("\n");

const issue = (over: Partial<ExpectedIssue>): ExpectedIssue => ({
  path: "src/a.ts",
  lineStart: 4,
  lineEnd: 4,
  category: "bug",
  severity: "P1",
  description: "d",
  ...over,
});

describe("context recall", () => {
  it("reads the head-side locations a rendered window shows", () => {
    expect([...shownLocations([WINDOW])].sort()).toEqual(["lib/b.ts:12", "src/a.ts:3", "src/a.ts:4", "src/a.ts:5", "src/routes/c.js:7"]);
  });

  it("counts explicit evidence, or else the issue's own range", () => {
    const shown = shownLocations([WINDOW]);
    expect(evidenceShown([issue({ lineStart: 1, lineEnd: 3 })], shown)).toEqual({ evidence: 1, shown: 1 });
    expect(
      evidenceShown(
        [
          issue({
            evidence: [
              { path: "src/routes/c.js", line: 7 },
              { path: "src/routes/c.js", line: 8 },
            ],
          }),
        ],
        shown,
      ),
    ).toEqual({ evidence: 2, shown: 1 });
    expect(evidenceShown([issue({ path: null, lineStart: null, lineEnd: null })], shown)).toEqual({ evidence: 0, shown: 0 });
  });

  it("is the share of cases with every evidence line shown, overall and for cross-file cases", () => {
    const r = contextRecall([
      { evidence: 1, shownWithoutImpact: 1, shownWithImpact: 1, crossFile: false },
      { evidence: 2, shownWithoutImpact: 0, shownWithImpact: 2, crossFile: true },
      { evidence: 1, shownWithoutImpact: 0, shownWithImpact: 0, crossFile: true },
      { evidence: 0, shownWithoutImpact: 0, shownWithImpact: 0, crossFile: false },
      null,
    ]);
    expect(r).toEqual({ cases: 3, withoutImpact: 1 / 3, withImpact: 2 / 3, crossFileCases: 2, crossFileWithoutImpact: 0, crossFileWithImpact: 0.5 });
  });
});

describe("case evidence", () => {
  async function caseDir(evidenceLine: number): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "longview-evidence-"));
    const files: Record<string, string> = {
      "base/a.ts": "export const a = 1;\n",
      "head/a.ts": "export const a = 2;\n",
      "base/b.ts": "use(a);\n",
      "head/b.ts": "use(a);\n",
      "case.yaml": `id: ev\ntitle: T\nlanguage: typescript\nexpected:\n  - { path: a.ts, line_start: 1, line_end: 1, category: bug, severity: P1, description: x, evidence: [{ path: b.ts, line: ${evidenceLine} }] }\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }

  it("loads evidence in an unchanged file, which is not part of the diff", async () => {
    const dir = await caseDir(1);
    try {
      const c = await loadCase(dir, dir);
      expect(c.expected[0]!.evidence).toEqual([{ path: "b.ts", line: 1 }]);
      expect(c.diffText).not.toContain("b.ts");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses evidence past the end of its file", async () => {
    const dir = await caseDir(5);
    try {
      await expect(loadCase(dir, dir)).rejects.toThrow(DatasetError);
      await expect(loadCase(dir, dir)).rejects.toThrow("line 5 is past the file's last line (1)");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
