import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan, expandCompacted, fanOutFindings, renderWindow } from "../../../src/context/index.js";
import type { Finding } from "../../../src/domain/finding.js";
import { BUDGET_24K, changeSetOf, expectedTargets, GLOBAL, reviewTargets } from "./helpers.js";

/** A file using fetchUser; only its first lines (far from the changes) differ between files, and their count varies. */
function consumer(path: number, padding: number, handler = "handler"): { base: string; head: string } {
  const lines = [
    ...Array.from({ length: padding }, (_, i) => `// header line ${i} of file ${path}`),
    "// Imports: the API first,",
    "// then local modules,",
    "// sorted by path.",
    'import { fetchUser } from "@app/api/users";',
    ...Array.from({ length: 8 }, (_, i) => `import { dep${i} } from "./dep${i}";`),
    "",
    `export async function ${handler}(input: Input) {`,
    "  const started = Date.now();",
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
    // One representative per distinct change (the import, the call site; line numbers differ, enclosing code does not).
    expect(hunks.filter((h) => h.duplicates.length > 0)).toHaveLength(2);
    const targets = reviewTargets(plan, changeSet);
    expect([...targets.keys()].sort()).toEqual([...expectedTargets(changeSet)].sort());
    expect([...targets.values()].every((n) => n === 1)).toBe(true);
    // Only the representatives' lines were shown; the copies are counted as folded, not as reviewed.
    expect(plan.coverage).toMatchObject({ changedLines: 160, reviewedLines: 4, foldedLines: 156, skippedLines: 0, reviewedFiles: 40 });
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
      [
        `// file ${i}`,
        ...Array.from({ length: i }, (_, k) => `// pad ${k}`),
        "// run: loads a",
        "// and checks it",
        "export function run() {",
        ...body,
        "}",
        "",
      ].join("\n");
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
      ["src/r0.ts", 6, 7],
      ["src/r1.ts", 7, 8],
      ["src/r2.ts", 8, 9],
    ]);
  });

  test("a folded copy can be expanded by the ref its representative lists", () => {
    const representative = plan.windows[0]!.local.files[0]!.hunks.find((h) => h.duplicates.length > 0)!;
    const copy = representative.duplicates[0]!;
    expect(renderWindow(plan.windows[0]!)).toContain(`(hunk ${copy.hunkIndex + 1}, ${copy.ref})`);
    const expanded = expandCompacted(plan, copy.ref)!;
    expect(expanded).toMatchObject({ kind: "folded", path: copy.path });
    const own = changeSet.files.find((f) => f.path === copy.path)!.hunks[copy.hunkIndex]!;
    for (const line of own.lines) if (line.kind === "add") expect(expanded.text).toContain(`R${line.newLine} + ${line.text}`);
    expect(expandCompacted(plan, "c999999")).toBeNull();
  });

  test("the same change in differently named functions is reviewed in each, and findings are not copied", () => {
    const pr = changeSetOf(Array.from({ length: 3 }, (_, i) => ({ path: `src/other${i}/handler.ts`, ...consumer(i, 0, `handler${i}`) })));
    const separate = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    // The import hunks still match (same lines around, no enclosing block); the call sites sit in different functions.
    expect(separate.stats.compaction.identicalHunks).toBe(2);
    expect(separate.stats.compaction.identicalHunksInOtherContext).toBe(2);
    expect(separate.coverage).toMatchObject({ changedLines: 12, reviewedLines: 8, foldedLines: 4 });
    const callSite = pr.files[1]!.hunks.find((h) => h.lines.some((l) => l.text.includes("loadUser(input")))!;
    const added = callSite.lines.find((l) => l.kind === "add")!;
    expect(fanOutFindings([finding(pr.files[1]!.path, added.newLine!)], separate)).toHaveLength(1);
  });

  test("regression (express CVE-2024-51999): the same test hunk in two describe blocks is reviewed in both", () => {
    const block = (mode: string, expected: string) => [
      `  describe('when "query parser" is "${mode}"', function () {`,
      `    before(function () { app = createApp('${mode}') })`,
      "",
      "    it('should not pollute the prototype', function (done) {",
      "      request(app)",
      "      .get('/?__proto__[polluted]=yes')",
      `      .expect(200, '${expected}', done);`,
      "    });",
      "  });",
      "",
    ];
    const file = (expected: [string, string]) =>
      ["describe('req.query', function () {", "  var app;", "", ...block("extended", expected[0]), ...block("simple", expected[1]), "});", ""].join("\n");
    const base = file(["{}", "{}"]);
    // The same edit in both blocks: right for "extended", wrong for "simple" (which must keep the key as a plain string).
    const head = file(['{"__proto__":{"polluted":"yes"}}', '{"__proto__":{"polluted":"yes"}}']);
    const pr = changeSetOf([{ path: "test/req.query.js", base, head }]);
    const hunks = pr.files[0]!.hunks;
    expect(hunks).toHaveLength(2);
    // Identical hunk text, unchanged lines included: only the enclosing describe(...) tells them apart.
    const body = (i: number) => hunks[i]!.lines.map((l) => `${l.kind}:${l.text}`);
    expect(body(0)).toEqual(body(1));

    const reviewed = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    expect(reviewed.stats.compaction.identicalHunks).toBe(0);
    expect(reviewed.stats.compaction.identicalHunksInOtherContext).toBe(1);
    expect(reviewed.coverage).toMatchObject({ changedLines: 4, reviewedLines: 4, foldedLines: 0 });
    const shown = reviewed.windows.flatMap((w) => w.local.files.flatMap((f) => f.hunks));
    expect(shown.map((h) => h.hunk.index).sort()).toEqual([0, 1]);
    expect(shown.every((h) => h.duplicates.length === 0)).toBe(true);
    const text = renderWindow(reviewed.windows[0]!);
    expect(text).toContain(`describe('when "query parser" is "extended"'`);
    expect(text).toContain(`describe('when "query parser" is "simple"'`);

    // Without head content the enclosing blocks are unknown: an indented change is never folded then.
    const blind = buildWindowPlan(changeSetOf([{ path: "test/req.query.js", base, head, withoutHead: true }]), GLOBAL, BUDGET_24K);
    expect(blind.stats.compaction.identicalHunks).toBe(0);
  });

  test("a related file whose only hunk was folded is not called 'not under review'", () => {
    const pr = changeSetOf([
      { path: "src/a/handler.ts", ...consumer(0, 0) },
      { path: "src/b/handler.ts", ...consumer(1, 0) },
      {
        path: "src/b/handler.test.ts",
        base: 'import { handler } from "./handler";\n\ntest("works", () => {\n  expect(handler).toBeDefined();\n});\n',
        head: 'import { handler } from "./handler";\n\ntest("works", async () => {\n  expect(await handler({ userId: "u1" })).toBeDefined();\n});\n',
      },
    ]);
    const folded = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    expect(folded.stats.compaction.identicalHunks).toBe(2);
    const text = folded.windows.map(renderWindow).join("\n");
    expect(text).toContain("src/b/handler.ts (related changed file, reviewed in w1)");
    expect(text).not.toContain("related changed file, not under review");
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
  test("a deleted file is summarized with its head and tail; only those count as reviewed, the rest as summarized", () => {
    const base = Array.from({ length: 300 }, (_, i) => `line ${i + 1} of the old module`).join("\n");
    const changeSet = changeSetOf([
      { path: "src/old.ts", base, head: null },
      { path: "src/new.ts", base: null, head: "export const x = 1;\n" },
    ]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    expect(plan.stats.compaction.pureDeletionsSummarized).toBe(1);
    const text = renderWindow(plan.windows[0]!);
    expect(text).toContain("[Pure deletion of 300 lines, summarized: first 12 and last 6 shown; the whole deletion: expand c1]");
    expect(text).toContain("L1 - line 1 of the old module");
    expect(text).toContain("L300 - line 300 of the old module");
    expect(text).not.toContain("line 150 of the old module");
    expect(text).toContain("[... 282 deleted lines not shown ...]");
    expect(plan.coverage).toMatchObject({ changedLines: 301, reviewedLines: 1 + 18, summarizedLines: 282, skippedLines: 0, reviewedFiles: 2 });
    const expanded = expandCompacted(plan, "c1")!;
    expect(expanded).toMatchObject({ kind: "summarized", path: "src/old.ts", windowId: "w1" });
    expect(expanded.text).toContain("L150 - line 150 of the old module");
    expect(expanded.text.match(/^L\d+ - /gm)).toHaveLength(300);
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
