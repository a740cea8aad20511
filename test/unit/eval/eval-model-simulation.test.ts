import { describe, expect, test } from "@jest/globals";
import type { ExpectedIssue } from "../../../src/eval/case-schema.js";
import { verificationContent } from "../../../src/reviewer/verification/verification-input.js";
import {
  DEFAULT_RATES,
  parseVerification,
  parseWindow,
  simulateReview,
  simulateVerdict,
  titleOf,
  type SimCase,
  type SimulationRates,
} from "../../../tools/eval-model/simulation.js";
import { finding } from "../../helpers/findings.js";

/** The simulated model of `npm run eval:scripted` (tools/eval-model/): how it reads requests and where it errs. */

const WINDOW = [
  "# Pull request",
  "Title: Paginate the invoice list",
  "## Files in this pull request",
  "## src/api/list.ts (modified)",
  "# Code under review",
  "Line prefixes: …",
  "## src/api/list.ts (modified)",
  "@@ -1,4 +1,6 @@ export function list",
  "~1 | import { db } from './db';",
  "R2 | export function list(page: number, size: number) {",
  "R3 +   const offset = page * size;",
  "R4 +   const rows = db.select().offset(offset).limit(size);",
  "L3 -   return db.select();",
  "R5 +   return rows.map((row) => toInvoice(row));",
  "R6 | }",
  "## src/api/new.ts (new file)",
  "@@ -0,0 +1,2 @@",
  "R1 + export const PAGE_SIZE_LIMIT = 100;",
  "R2 + export const DEFAULT_PAGE = 1;",
  "# Peripheral context (outlines and signatures only; not under review)",
  "R9 + not code under review",
].join("\n");

const issue = (overrides: Partial<ExpectedIssue> = {}): ExpectedIssue => ({
  path: "src/api/list.ts",
  lineStart: 3,
  lineEnd: 3,
  category: "bug",
  severity: "P1",
  description: "Pages are 1-based but the offset is page * size. The first page is skipped.",
  ...overrides,
});

const CASE: SimCase = { id: "pagination", title: "Paginate the invoice list", expected: [issue()] };

const NONE: SimulationRates = {
  ...DEFAULT_RATES,
  miss: 0,
  garbledQuote: 0,
  neighbourQuote: 0,
  severityOff: 0,
  falsePositive: 0,
  secondFalsePositive: 0,
  duplicate: 0,
  surrounding: 0,
  rejectTrue: 0,
  uncertainTrue: 0,
  confirmFalse: 0,
  lowConfirmFalse: 0,
  uncertainFalse: 0,
};

describe("parseWindow", () => {
  test("the title and the code under review, by file, with each line's side and kind", () => {
    const window = parseWindow(WINDOW);
    expect(window.title).toBe("Paginate the invoice list");
    expect(window.files.map((f) => f.path)).toEqual(["src/api/list.ts", "src/api/new.ts"]);
    expect(window.files[0]?.lines.map((l) => `${l.kind}:${l.side}:${l.line}`)).toEqual([
      "surrounding:RIGHT:1",
      "context:RIGHT:2",
      "add:RIGHT:3",
      "add:RIGHT:4",
      "del:LEFT:3",
      "add:RIGHT:5",
      "context:RIGHT:6",
    ]);
    expect(window.files[0]?.lines[2]?.text).toBe("  const offset = page * size;");
    // The peripheral section is not under review.
    expect(window.files[1]?.lines).toHaveLength(2);
  });
});

describe("simulateReview", () => {
  test("without errors: each label once, quoting its line, with its category and severity", () => {
    const { findings, events } = simulateReview(CASE, parseWindow(WINDOW), "1", NONE);
    expect(events).toEqual(["reported"]);
    expect(findings).toEqual([
      expect.objectContaining({
        path: "src/api/list.ts",
        line: 3,
        side: "RIGHT",
        quote: "  const offset = page * size;",
        category: "bug",
        severity: "P1",
        title: "Pages are 1-based but the offset is page * size",
      }),
    ]);
  });

  test("a label the window does not show is neither reported nor missed", () => {
    const elsewhere: SimCase = { ...CASE, expected: [issue({ path: "src/other.ts" })] };
    expect(simulateReview(elsewhere, parseWindow(WINDOW), "1", NONE)).toEqual({ findings: [], events: [] });
  });

  test("a misremembered quote is on no line; a neighbour's quote is another changed line", () => {
    const window = parseWindow(WINDOW);
    const garbled = simulateReview(CASE, window, "1", { ...NONE, garbledQuote: 1 }).findings[0]!;
    expect(window.files.flatMap((f) => f.lines).some((l) => l.text.includes(garbled.quote.trim()))).toBe(false);
    const neighbour = simulateReview(CASE, window, "1", { ...NONE, neighbourQuote: 1 }).findings[0]!;
    expect(neighbour).toMatchObject({ line: 3, quote: "  const rows = db.select().offset(offset).limit(size);" });
    expect(simulateReview(CASE, window, "1", { ...NONE, miss: 1 })).toEqual({ findings: [], events: ["missed"] });
  });

  test("false positives stay clear of every label, on changed lines; a duplicate has the same line and quote, another category", () => {
    const window = parseWindow(WINDOW);
    const { findings, events } = simulateReview({ ...CASE, expected: [issue({ lineStart: 2, lineEnd: 2 })] }, window, "7", {
      ...NONE,
      falsePositive: 1,
      duplicate: 1,
    });
    // src/api/list.ts: every changed line is within 4 lines of the label; src/api/new.ts gets one false positive, twice.
    expect(events).toEqual(["reported", "false-positive", "duplicate"]);
    const [first, second] = findings.filter((f) => f.body.startsWith("[simulated false positive]"));
    expect(first?.path).toBe("src/api/new.ts");
    expect(second).toMatchObject({ path: first?.path, line: first?.line, quote: first?.quote });
    expect(second?.category).not.toBe(first?.category);
  });

  test("the same seed gives the same review; draws depend on the seed", () => {
    const many: SimCase = { ...CASE, expected: Array.from({ length: 4 }, () => issue()) };
    const window = parseWindow(WINDOW);
    expect(simulateReview(many, window, "1")).toEqual(simulateReview(many, window, "1"));
    const bySeed = new Set(["1", "2", "3", "4", "5", "6"].map((seed) => JSON.stringify(simulateReview(many, window, seed))));
    expect(bySeed.size).toBeGreaterThan(1);
  });

  test("titles are the description's first sentence", () => {
    expect(titleOf("Pages are 1-based. The first page is skipped.")).toBe("Pages are 1-based");
    expect(titleOf("x".repeat(150))).toHaveLength(100);
  });
});

describe("the verifier", () => {
  const batch = verificationContent({
    path: "src/api/list.ts",
    files: [],
    candidates: [
      { id: "F1", finding: finding({ path: "src/api/list.ts", line: 4, title: "Offset skips the first page" }) },
      {
        id: "F2",
        finding: finding({ path: "src/api/list.ts", startLine: 10, line: 12, category: "performance", severity: "P2", title: "Repeated work inside a loop" }),
      },
    ],
  }).text;

  test("reads the batch's file and candidates from the request text", () => {
    expect(parseVerification(batch)).toEqual({
      path: "src/api/list.ts",
      candidates: [
        { id: "F1", path: "src/api/list.ts", line: 4, startLine: null, side: "RIGHT", category: "bug", severity: "P1", title: "Offset skips the first page" },
        {
          id: "F2",
          path: "src/api/list.ts",
          line: 12,
          startLine: 10,
          side: "RIGHT",
          category: "performance",
          severity: "P2",
          title: "Repeated work inside a loop",
        },
      ],
    });
  });

  test("without errors: confirms what lies on a label (eval's rule), rejects the rest; unknown candidates are uncertain", () => {
    const [onLabel, offLabel] = parseVerification(batch).candidates;
    expect(simulateVerdict(onLabel!, [CASE], "1", NONE)).toMatchObject({ id: "F1", verdict: "confirmed" });
    expect(simulateVerdict(onLabel!, [CASE], "1", NONE).score).toBeGreaterThanOrEqual(0.6);
    expect(simulateVerdict(offLabel!, [CASE], "1", NONE)).toMatchObject({ id: "F2", verdict: "rejected" });
    expect(simulateVerdict(offLabel!, [CASE], "1", NONE).score).toBeLessThan(0.5);
    expect(simulateVerdict(onLabel!, [], "1", NONE)).toMatchObject({ verdict: "uncertain" });
  });

  test("errs at the stated rates", () => {
    const [onLabel, offLabel] = parseVerification(batch).candidates;
    expect(simulateVerdict(onLabel!, [CASE], "1", { ...NONE, rejectTrue: 1 })).toMatchObject({ verdict: "rejected" });
    expect(simulateVerdict(offLabel!, [CASE], "1", { ...NONE, confirmFalse: 1 })).toMatchObject({ verdict: "confirmed" });
    const low = simulateVerdict(offLabel!, [CASE], "1", { ...NONE, lowConfirmFalse: 1 });
    expect(low.verdict).toBe("confirmed");
    expect(low.score).toBeLessThan(0.5);
  });
});
