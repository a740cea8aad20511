import { describe, expect, test } from "@jest/globals";
import type { Finding, MemoryNote } from "../../../src/domain/index.js";
import { synthesisContent } from "../../../src/reviewer/synthesis/synthesis-input.js";
import { validateSynthesis } from "../../../src/reviewer/synthesis/validate-synthesis.js";
import { makeWindow, windowFile } from "./window-fixture.js";

const windows = [makeWindow({ id: "w1", files: [windowFile("src/a.ts")] }), makeWindow({ id: "w2", files: [windowFile("src/b.ts")] })];

function note(kind: MemoryNote["kind"], text: string, windowId = "w1"): MemoryNote {
  return { kind, path: "src/a.ts", text, windowId };
}

function finding(i: number): Finding {
  return {
    path: "src/b.ts",
    line: 11,
    startLine: null,
    side: "RIGHT",
    severity: i === 0 ? "P0" : "P3",
    category: "bug",
    title: `finding ${i} ${"detail ".repeat(10)}`,
    body: "",
    suggestion: null,
    confidence: 0.5,
    source: "agent",
    ruleId: null,
    corroboratedBy: [],
  };
}

describe("synthesis input", () => {
  test("files with windows and line ranges, then suspicions, API changes, invariants, findings, summaries", () => {
    const content = synthesisContent({
      windows,
      notes: [note("summary", "SUMMARY"), note("invariant", "INVARIANT"), note("api-change", "API"), note("suspicion", "SUSPICION", "w2")],
      findings: [finding(0)],
    });
    const order = ["src/a.ts: w1; R10-14", "SUSPICION", "API", "INVARIANT", "src/b.ts:11 RIGHT P0 bug [agent]", "SUMMARY"].map((s) => content.text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect([...content.paths]).toEqual(["src/a.ts", "src/b.ts"]);
  });

  test("within the cap, suspicions are kept before findings and what is left out is counted", () => {
    const notes = Array.from({ length: 40 }, (_, i) => note("suspicion", `suspicion ${i} about the callers of parse in other modules`));
    const findings = Array.from({ length: 400 }, (_, i) => finding(i));
    const content = synthesisContent({ windows, notes, findings }, 2_000);
    expect(content.tokens).toBeLessThanOrEqual(2_000 + 20);
    expect(content.text).toContain("suspicion 39 about");
    expect(content.omitted.findings).toBeGreaterThan(0);
    expect(content.omitted.suspicions ?? 0).toBe(0);
    expect(content.text).toContain("finding 0 "); // the most severe first
  });
});

describe("synthesis output", () => {
  test("findings on listed files only, credited to the synthesis, bounded", () => {
    const raw = (path: string, line = 11) => ({
      path,
      line,
      start_line: 20,
      side: "RIGHT" as const,
      severity: "P1" as const,
      category: "bug" as const,
      title: "b breaks after a's change",
      quote: "  const sql = `SELECT * FROM users WHERE name = '${name}'`;",
      body: "a changed f; b still calls the old f",
      confidence: 3,
    });
    const { findings, problems } = validateSynthesis(
      { findings: [raw("src/b.ts"), raw("src/elsewhere.ts"), raw("src/a.ts", 0)] },
      new Set(["src/a.ts", "src/b.ts"]),
      [windowFile("src/a.ts"), windowFile("src/b.ts")],
    );
    expect(findings).toEqual([expect.objectContaining({ path: "src/b.ts", source: "synthesis", startLine: null, confidence: 1, suggestion: null })]);
    expect(problems).toHaveLength(2);
  });

  test("a synthesis finding is held to its quote in the file's reviewed hunks", () => {
    const raw = (quote: string, line: number) => ({
      path: "src/b.ts",
      line,
      start_line: null,
      side: "RIGHT" as const,
      quote,
      severity: "P1" as const,
      category: "bug" as const,
      title: "b breaks after a's change",
      body: "a changed f; b still calls the old f",
      confidence: 0.8,
    });
    const { findings, funnel } = validateSynthesis({ findings: [raw("return db.query(sql);", 40), raw("callOldApi();", 11)] }, new Set(["src/b.ts"]), [
      windowFile("src/b.ts"),
    ]);
    expect(findings).toEqual([expect.objectContaining({ line: 12, quote: "return db.query(sql);" })]);
    expect(funnel).toEqual({ candidates: 2, droppedEvidence: 1, droppedScope: 0, reanchored: 1 });
  });
});
