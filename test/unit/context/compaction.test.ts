import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan, fanOutFindings, renderWindow } from "../../../src/context/index.js";
import type { Finding } from "../../../src/domain/finding.js";
import { BUDGET_24K, changeSetOf, expectedTargets, GLOBAL, reviewTargets } from "./helpers.js";

function consumer(path: number, padding: number): { base: string; head: string } {
  const lines = [
    ...Array.from({ length: padding }, (_, i) => `// header line ${i} of file ${path}`),
    'import { fetchUser } from "@app/api/users";',
    ...Array.from({ length: 8 }, (_, i) => `import { dep${i} } from "./dep${i}";`),
    "",
    `export async function handler${path}(input: Input) {`,
    `  const started = ${path};`,
    "  const user = await fetchUser(input.userId);",
    "  return { user, started };",
    "}",
    "",
  ];
  const base = lines.join("\n");
  return { base, head: base.replace("import { fetchUser }", "import { loadUser }").replace("await fetchUser(", "await loadUser(") };
}

function finding(path: string, line: number, side: "RIGHT" | "LEFT" = "RIGHT"): Finding {
  return {
    path,
    line,
    startLine: null,
    side,
    severity: "P2",
    category: "bug",
    title: "t",
    body: "b",
    suggestion: null,
    confidence: 0.9,
    source: "agent",
    ruleId: null,
    corroboratedBy: [],
  };
}

describe("identical hunks", () => {
  const files = Array.from({ length: 40 }, (_, i) => ({ path: `src/feature${i}/handler.ts`, ...consumer(i, i % 5) }));
  const changeSet = changeSetOf(files);
  const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);

  test("are reviewed once and still covered exactly", () => {
    expect(plan.stats.compaction.identicalHunks).toBe(2 * 39);
    const hunks = plan.windows.flatMap((w) => w.local.files.flatMap((f) => f.hunks));
    // One representative per distinct change (the import, the call site; padding differs so contexts differ).
    expect(hunks.filter((h) => h.duplicates.length > 0)).toHaveLength(2);
    const targets = reviewTargets(plan, changeSet);
    expect([...targets.keys()].sort()).toEqual([...expectedTargets(changeSet)].sort());
    expect([...targets.values()].every((n) => n === 1)).toBe(true);
    expect(plan.coverage).toMatchObject({ changedLines: 160, reviewedLines: 160, skippedLines: 0, reviewedFiles: 40 });
    expect(renderWindow(plan.windows[0]!)).toContain("is repeated in 39 other place(s)");
  });

  test("fanOutFindings copies a finding to the same line of every occurrence", () => {
    const representative = plan.windows[0]!.local.files[0]!;
    const callHunk = representative.hunks.find((h) => h.hunk.lines.some((l) => l.text.includes("loadUser(input")))!;
    const added = callHunk.hunk.lines.find((l) => l.kind === "add")!;
    const removed = callHunk.hunk.lines.find((l) => l.kind === "del")!;
    const out = fanOutFindings([finding(representative.path, added.newLine!), finding(representative.path, removed.oldLine!, "LEFT")], plan);
    expect(out).toHaveLength(2 * 40);
    for (const f of out) {
      const file = changeSet.files.find((x) => x.path === f.path)!;
      const lines = file.hunks.flatMap((h) => h.lines);
      const at = lines.find((l) => (f.side === "RIGHT" ? l.newLine : l.oldLine) === f.line)!;
      expect(at.text.trim()).toBe(f.side === "RIGHT" ? "const user = await loadUser(input.userId);" : "const user = await fetchUser(input.userId);");
      expect(at.kind).toBe(f.side === "RIGHT" ? "add" : "del");
    }
    expect(new Set(out.map((f) => `${f.path}:${f.side}`)).size).toBe(80);
  });

  test("a multi-line finding keeps its range on every occurrence", () => {
    const block = (i: number, body: string[]) =>
      [`// file ${i}`, ...Array.from({ length: i }, (_, k) => `// pad ${k}`), "export function run() {", ...body, "}", ""].join("\n");
    const before = ["  const a = load();", "  return a;"];
    const after = ["  const a = load();", '  if (a === undefined) throw new Error("missing a");', "  validate(a, { strict: true });", "  return a;"];
    const pr = changeSetOf([0, 1, 2].map((i) => ({ path: `src/r${i}.ts`, base: block(i, before), head: block(i, after) })));
    const folded = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    expect(folded.stats.compaction.identicalHunks).toBe(2);
    const representative = folded.windows[0]!.local.files[0]!;
    const added = representative.hunks[0]!.hunk.lines.filter((l) => l.kind === "add");
    const ranged = { ...finding(representative.path, added[1]!.newLine!), startLine: added[0]!.newLine! };
    const out = fanOutFindings([ranged], folded);
    expect(out.map((f) => [f.path, f.startLine, f.line])).toEqual([
      ["src/r0.ts", 4, 5],
      ["src/r1.ts", 5, 6],
      ["src/r2.ts", 6, 7],
    ]);
  });

  test("findings on other lines are left alone", () => {
    const f = finding("src/feature7/handler.ts", 3);
    expect(fanOutFindings([f], plan)).toEqual([f]);
  });

  test("tiny changes (a removed brace) are not folded", () => {
    const small = Array.from({ length: 5 }, (_, i) => ({
      path: `src/b${i}.ts`,
      base: `function f${i}() {\n  if (x) {\n    y();\n  }\n}\n`,
      head: `function f${i}() {\n  if (x) {\n    y();\n}\n`,
    }));
    expect(buildWindowPlan(changeSetOf(small), GLOBAL, BUDGET_24K).stats.compaction.identicalHunks).toBe(0);
  });
});

describe("whitespace-only changes", () => {
  test("re-indented and re-wrapped code is skipped with a reason, a changed string is not", () => {
    const middle = Array.from({ length: 10 }, (_, i) => `const c${i} = ${i};`).join("\n");
    const base = `function f() {\n  return call(a, b);\n}\n${middle}\nconst s = 'a b';\n`;
    const head = `function f() {\n    return call(a,\n      b);\n}\n${middle}\nconst s = 'a  b';\n`;
    const changeSet = changeSetOf([{ path: "src/w.ts", base, head }]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    expect(plan.stats.compaction.whitespaceOnlySkipped).toBe(1);
    expect(plan.coverage.skipped).toEqual([{ path: "src/w.ts", reason: "whitespace-only", lines: 3, detail: "1 of 2 hunks change only whitespace" }]);
    expect(plan.coverage.changedLines).toBe(plan.coverage.reviewedLines + plan.coverage.skippedLines);
    expect(renderWindow(plan.windows[0]!)).toContain("L14 - const s = 'a b';");
  });

  test("in Python, a change of indentation is reviewed", () => {
    const base = "def f(x):\n    if x:\n        a()\n    b()\n";
    const head = "def f(x):\n    if x:\n        a()\n        b()\n";
    const plan = buildWindowPlan(changeSetOf([{ path: "app/f.py", base, head }]), GLOBAL, BUDGET_24K);
    expect(plan.stats.compaction.whitespaceOnlySkipped).toBe(0);
    expect(plan.coverage.reviewedLines).toBe(2);
  });
});

describe("pure deletions", () => {
  test("a deleted file is summarized with its head and tail, and counted as reviewed", () => {
    const base = Array.from({ length: 300 }, (_, i) => `line ${i + 1} of the old module`).join("\n");
    const changeSet = changeSetOf([
      { path: "src/old.ts", base, head: null },
      { path: "src/new.ts", base: null, head: "export const x = 1;\n" },
    ]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    expect(plan.stats.compaction.pureDeletionsSummarized).toBe(1);
    const text = renderWindow(plan.windows[0]!);
    expect(text).toContain("[Pure deletion of 300 lines, summarized: first 12 and last 6 shown]");
    expect(text).toContain("L1 - line 1 of the old module");
    expect(text).toContain("L300 - line 300 of the old module");
    expect(text).not.toContain("line 150 of the old module");
    expect(text).toContain("[... 282 deleted lines not shown ...]");
    expect(plan.coverage).toMatchObject({ changedLines: 301, reviewedLines: 301, skippedLines: 0 });
  });
});

describe("skips from the change set", () => {
  test("are carried into coverage and the file map", () => {
    const changeSet = changeSetOf(
      [{ path: "src/a.ts", base: "a\n", head: "b\n" }],
      [
        { path: "package-lock.json", reason: "lockfile", lines: 1200 },
        { path: "dist/app.min.js", reason: "minified", lines: 3 },
      ],
    );
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    expect(plan.coverage).toMatchObject({ changedLines: 1205, reviewedLines: 2, skippedLines: 1203, files: 3, reviewedFiles: 1 });
    expect(plan.coverage.skipped.map((s) => s.reason)).toEqual(["lockfile", "minified"]);
    expect(plan.windows[0]!.global.fileMap).toContain("U package-lock.json +0 -1200 [lockfile]");
  });
});
