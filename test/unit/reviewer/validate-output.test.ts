import { describe, expect, test } from "@jest/globals";
import type { ModelOutput, ModelOutputFinding } from "../../../src/reviewer/output-schema.js";
import { OUTPUT_LIMITS, validateModelOutput } from "../../../src/reviewer/validate-output.js";
import { DB_HUNK, makeWindow, windowFile } from "./window-fixture.js";

/** A finding quoting what the fixture's hunk shows on its lines (unless the test quotes something else). */
function outputFinding(overrides: Partial<ModelOutputFinding> = {}): ModelOutputFinding {
  const base: ModelOutputFinding = {
    path: "src/db/users.ts",
    line: 11,
    start_line: null,
    side: "RIGHT",
    quote: "",
    severity: "P0",
    category: "security",
    title: "SQL injection through `name`",
    body: "`name` is interpolated into the SQL text.",
    suggestion: null,
    confidence: 0.9,
    ...overrides,
  };
  return { ...base, quote: overrides.quote ?? quoteOf(base) };
}

function quoteOf(f: ModelOutputFinding): string {
  const from = f.start_line !== null && f.start_line < f.line ? f.start_line : f.line;
  return DB_HUNK.lines
    .filter((l) => {
      const n = f.side === "RIGHT" ? l.newLine : l.oldLine;
      return n !== null && n >= from && n <= f.line;
    })
    .map((l) => l.text)
    .join("\n");
}

const output = (findings: ModelOutputFinding[], notes: ModelOutput["notes"] = []): ModelOutput => ({ findings, notes });

describe("validateModelOutput", () => {
  test("maps a valid finding and note to domain values", () => {
    const result = validateModelOutput(
      output(
        [outputFinding({ start_line: 11, line: 12, suggestion: '  return db.query("SELECT * FROM users WHERE name = $1", [name]);' })],
        [{ kind: "api-change", path: "src/db/users.ts", text: "findUser no longer parameterizes its query." }],
      ),
      makeWindow({ id: "w7" }),
    );
    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([
      {
        path: "src/db/users.ts",
        line: 12,
        startLine: 11,
        side: "RIGHT",
        severity: "P0",
        category: "security",
        title: "SQL injection through `name`",
        body: "`name` is interpolated into the SQL text.",
        suggestion: '  return db.query("SELECT * FROM users WHERE name = $1", [name]);',
        confidence: 0.9,
        source: "agent",
        ruleId: null,
        corroboratedBy: [],
        quote: "  const sql = `SELECT * FROM users WHERE name = '${name}'`;\n  return db.query(sql);",
      },
    ]);
    expect(result.notes).toEqual([{ kind: "api-change", path: "src/db/users.ts", text: "findUser no longer parameterizes its query.", windowId: "w7" }]);
  });

  test("drops findings on files the window did not show, and says why", () => {
    const result = validateModelOutput(output([outputFinding({ path: "src/other.ts" }), outputFinding()]), makeWindow());
    expect(result.findings.map((f) => f.path)).toEqual(["src/db/users.ts"]);
    expect(result.problems).toEqual(['dropped finding "SQL injection through `name`" at src/other.ts:11: path is not among the files shown in this window']);
  });

  test("drops findings with impossible line numbers", () => {
    const result = validateModelOutput(output([outputFinding({ line: 0 })]), makeWindow());
    expect(result.findings).toEqual([]);
    expect(result.problems[0]).toContain("line 0 is not a line number");
  });

  test("clamps confidence into 0..1", () => {
    const result = validateModelOutput(output([outputFinding({ confidence: 1.7 }), outputFinding({ line: 12, confidence: -0.2 })]), makeWindow());
    expect(result.findings.map((f) => f.confidence)).toEqual([1, 0]);
    expect(result.problems).toHaveLength(2);
  });

  test("keeps titles to one line of at most 120 characters, falling back to the body", () => {
    const long = "x".repeat(300);
    const result = validateModelOutput(
      output([
        outputFinding({ title: "  first line  \nsecond line" }),
        outputFinding({ title: long }),
        outputFinding({ title: "   ", body: "\nThe body's first line.\nMore." }),
        outputFinding({ title: "", body: "  " }),
      ]),
      makeWindow(),
    );
    expect(result.findings.map((f) => f.title)).toEqual(["first line", `${"x".repeat(119)}…`, "The body's first line."]);
    expect(result.problems).toEqual([expect.stringContaining("title and body are empty")]);
  });

  test("drops suggestions on the LEFT side and suggestions whose range is inverted", () => {
    const result = validateModelOutput(
      output([
        outputFinding({ side: "LEFT", line: 11, suggestion: "x" }),
        outputFinding({ start_line: 13, line: 12, suggestion: "y" }),
        outputFinding({ start_line: 12, line: 12, suggestion: "z" }),
      ]),
      makeWindow(),
    );
    expect(result.findings.map((f) => [f.startLine, f.line, f.suggestion])).toEqual([
      [null, 11, null],
      [null, 12, null],
      [null, 12, "z"],
    ]);
    expect(result.problems).toHaveLength(3);
  });

  test("caps the number and length of notes and drops empty ones", () => {
    const notes = Array.from({ length: 20 }, (_, i) => ({ kind: "invariant" as const, path: null, text: `note ${i} ${"y".repeat(400)}` }));
    const result = validateModelOutput(output([], [{ kind: "suspicion", path: " ", text: "  " }, ...notes]), makeWindow());
    expect(result.notes).toHaveLength(OUTPUT_LIMITS.notes);
    expect(result.notes.every((n) => n.text.length <= OUTPUT_LIMITS.noteChars && n.path === null)).toBe(true);
    expect(result.notes[0]?.text.startsWith("note 0 ")).toBe(true);
    expect(result.problems).toEqual(["dropped an empty suspicion note", `kept the first ${OUTPUT_LIMITS.notes} of 20 notes`]);
  });

  test("drops a suggestion that contains a redaction placeholder: committing it would overwrite the real value", () => {
    const result = validateModelOutput(
      output([outputFinding({ line: 12, suggestion: '  const key = process.env.KEY ?? "[REDACTED:stripe-secret-key]";' })]),
      makeWindow({ id: "w7" }),
    );
    expect(result.findings[0]).toMatchObject({ line: 12, suggestion: null });
    expect(result.problems.join("\n")).toContain("redaction placeholder");
  });

  describe("evidence and scope", () => {
    const around = { startLine: 1, text: Array.from({ length: 20 }, (_, i) => (i === 4 ? "const LIMIT = 10;" : `// line ${i + 1}`)).join("\n") };
    const withSurrounding = makeWindow({
      files: [{ path: "src/db/users.ts", previousPath: null, status: "modified", hunks: [{ hunk: DB_HUNK, surrounding: around, duplicates: [] }] }],
    });

    test("keeps a finding whose quote is on its line, whitespace aside, and without a copied line prefix", () => {
      const result = validateModelOutput(output([outputFinding({ quote: "R12 +   return   db.query(sql);", line: 12 })]), makeWindow());
      expect(result.findings).toEqual([expect.objectContaining({ line: 12, side: "RIGHT" })]);
      expect(result.funnel).toEqual({ candidates: 1, droppedEvidence: 0, droppedScope: 0, reanchored: 0 });
    });

    test("a misquoted line is re-anchored to where the quote is in the reviewed hunk", () => {
      // Cites line 13 (the closing brace) but quotes the deleted parameterized query.
      const result = validateModelOutput(
        output([outputFinding({ line: 13, quote: 'return db.query("SELECT * FROM users WHERE name = $1", [name]);', suggestion: "x" })]),
        makeWindow(),
      );
      expect(result.findings).toEqual([expect.objectContaining({ line: 11, side: "LEFT", startLine: null, suggestion: null })]);
      expect(result.funnel.reanchored).toBe(1);
      expect(result.problems.join("\n")).toContain("re-anchored");
    });

    test("a quote found nowhere in the window is dropped as unevidenced", () => {
      const result = validateModelOutput(output([outputFinding({ quote: "eval(userInput);" }), outputFinding({ quote: "" })]), makeWindow());
      expect(result.findings).toEqual([]);
      expect(result.funnel).toEqual({ candidates: 2, droppedEvidence: 2, droppedScope: 0, reanchored: 0 });
      expect(result.problems.join("\n")).toContain("(evidence)");
    });

    test("a finding on surrounding code outside the diff is dropped, not turned into a file comment", () => {
      const result = validateModelOutput(output([outputFinding({ line: 5, quote: "const LIMIT = 10;" })]), withSurrounding);
      expect(result.findings).toEqual([]);
      expect(result.funnel.droppedScope).toBe(1);
      expect(result.problems.join("\n")).toMatch(/\(scope\): line 5 is surrounding code outside the diff/);
    });

    test("a quote found only in another file of the window moves the finding to that file", () => {
      const other = { ...DB_HUNK, lines: [{ kind: "add" as const, oldLine: null, newLine: 3, text: "  cache.clear();" }] };
      const window = makeWindow({ files: [windowFile("src/db/users.ts"), windowFile("src/cache.ts", other)] });
      const result = validateModelOutput(output([outputFinding({ line: 12, quote: "cache.clear();" })]), window);
      expect(result.findings).toEqual([expect.objectContaining({ path: "src/cache.ts", line: 3, side: "RIGHT" })]);
      expect(result.funnel.reanchored).toBe(1);
    });

    test("a finding on a line the window never showed is dropped unless its quote is in a reviewed hunk", () => {
      const lost = validateModelOutput(output([outputFinding({ line: 400, quote: "const LIMIT = 10;" })]), withSurrounding);
      expect(lost.findings).toEqual([]);
      expect(lost.funnel.droppedScope).toBe(1);
      const found = validateModelOutput(output([outputFinding({ line: 400, quote: "return db.query(sql);" })]), withSurrounding);
      expect(found.findings).toEqual([expect.objectContaining({ line: 12, side: "RIGHT" })]);
    });
  });
});
