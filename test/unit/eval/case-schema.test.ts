import { describe, expect, test } from "@jest/globals";
import { CaseFileSchema, toExpectedIssues } from "../../../src/eval/case-schema.js";

const base = { id: "c-1", title: "A change", language: "go" };

describe("case file", () => {
  test("defaults: no description, no expected issues (a clean case)", () => {
    expect(CaseFileSchema.parse(base)).toEqual({ ...base, description: "", expected: [] });
  });

  test("severities may be P-levels or golden-set words", () => {
    const file = CaseFileSchema.parse({
      ...base,
      expected: ["P0", "high", "Medium", "LOW"].map((severity) => ({ path: "a.go", line_start: 1, line_end: 1, category: "bug", severity, description: "x" })),
    });
    expect(toExpectedIssues(file).map((e) => e.severity)).toEqual(["P0", "P1", "P2", "P3"]);
  });

  test("maps snake_case fields; path and lines may be left out", () => {
    const file = CaseFileSchema.parse({ ...base, expected: [{ category: "any", severity: "P2", description: "somewhere" }] });
    expect(toExpectedIssues(file)).toEqual([{ path: null, lineStart: null, lineEnd: null, category: "any", severity: "P2", description: "somewhere" }]);
  });

  test.each([
    [{ path: "a.go", line_start: 5, line_end: 4 }, "after line_end"],
    [{ path: "a.go", line_start: 5 }, "together"],
    [{ line_start: 1, line_end: 1 }, "lines need a path"],
    [{ path: "a.go", line_start: 0, line_end: 1 }, ">=1"],
  ])("rejects inconsistent lines %j", (where, message) => {
    const result = CaseFileSchema.safeParse({ ...base, expected: [{ ...where, category: "bug", severity: "P1", description: "x" }] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  test("rejects unknown categories, severities and fields", () => {
    const issue = { path: "a.go", line_start: 1, line_end: 1, category: "bug", severity: "P1", description: "x" };
    expect(CaseFileSchema.safeParse({ ...base, expected: [{ ...issue, category: "style" }] }).success).toBe(false);
    expect(CaseFileSchema.safeParse({ ...base, expected: [{ ...issue, severity: "urgent" }] }).success).toBe(false);
    expect(CaseFileSchema.safeParse({ ...base, expected: [{ ...issue, line: 3 }] }).success).toBe(false);
    expect(CaseFileSchema.safeParse({ ...base, id: "has space" }).success).toBe(false);
  });
});
