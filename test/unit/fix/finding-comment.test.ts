import { describe, expect, test } from "@jest/globals";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import { findingFromComment, parseFindingText } from "../../../src/fix/finding-comment.js";
import { formatFindingComment } from "../../../src/review/format-comment.js";
import { finding } from "../../helpers/findings.js";

const placed = (overrides: Partial<PlacedFinding> = {}): PlacedFinding => ({ ...finding(), placement: "inline", placementNote: null, ...overrides });

describe("parseFindingText", () => {
  test("reads back what formatFindingComment posts", () => {
    const posted = placed({
      severity: "P0",
      category: "security",
      title: "SQL injection through `name`",
      body: "`name` is interpolated into the SQL text.\n\nPass it as a parameter.",
      suggestion: '  db.query("SELECT 1 WHERE a = $1", [name]);',
      source: "eslint",
      ruleId: "longview/sql-injection",
      corroboratedBy: ["agent"],
      placementNote: "outside the diff",
    });
    expect(parseFindingText(formatFindingComment(posted))).toEqual({
      severity: "P0",
      category: "security",
      title: "SQL injection through `name`",
      body: "`name` is interpolated into the SQL text.\n\nPass it as a parameter.",
      suggestion: '  db.query("SELECT 1 WHERE a = $1", [name]);',
      source: "eslint",
      ruleId: "longview/sql-injection",
      corroboratedBy: ["agent"],
      fingerprint: null,
    });
  });

  test("an agent finding has no rule; the hidden marker gives the fingerprint", () => {
    const body = formatFindingComment({ ...placed({ title: "Off by one", body: "Loops once too often." }), fingerprint: "0123456789abcdef", anchor: null } as PlacedFinding);
    expect(parseFindingText(body)).toMatchObject({ title: "Off by one", body: "Loops once too often.", source: "agent", ruleId: null, fingerprint: "0123456789abcdef" });
  });

  test("an agent finding corroborated by an analyzer carries the analyzer's rule", () => {
    const body = formatFindingComment(placed({ source: "agent", ruleId: "longview/sql-injection", corroboratedBy: ["longview-rules"] }));
    expect(body).toContain("Longview · agent; also reported by longview-rules `longview/sql-injection`");
    expect(parseFindingText(body)).toMatchObject({ source: "agent", ruleId: "longview/sql-injection", corroboratedBy: ["longview-rules"] });
  });

  test("ordinary comments are not findings", () => {
    expect(parseFindingText("Could you rename this?")).toBeNull();
    expect(parseFindingText("**P5 · bug** — nope")).toBeNull();
  });

  test("findingFromComment places the finding where the comment is now", () => {
    const body = formatFindingComment(placed({ title: "Wrong constant", ruleId: "use-isnan", source: "eslint" }));
    const posted = findingFromComment({ id: 9, body, user: { login: "longview[bot]", type: "Bot" }, path: "src/a.js", line: 14, start_line: 12, original_line: 10, side: "RIGHT", html_url: "https://x/9" });
    expect(posted).toMatchObject({ commentId: 9, url: "https://x/9", finding: { path: "src/a.js", line: 14, startLine: 12, ruleId: "use-isnan", source: "eslint" } });
  });
});
