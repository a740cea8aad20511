import { readFileSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import type { Fingerprinted, PlacedFinding } from "../../../src/domain/finding.js";
import { findingFromComment, formatFindingComment, parseFindingText } from "../../../src/github/finding-comment.js";
import { MAX_RECORD_TEXT } from "../../../src/github/markers.js";
import { finding } from "../../helpers/findings.js";

const placed = (overrides: Partial<PlacedFinding> = {}): PlacedFinding => ({ ...finding(), placement: "inline", placementNote: null, ...overrides });
const identified = (overrides: Partial<PlacedFinding> = {}): Fingerprinted => ({
  ...placed(overrides),
  fingerprint: "0123456789abcdef",
  anchor: "abcdefabcdef",
});
const comment = (body: string, extra: Record<string, unknown> = {}) => ({
  id: 9,
  body,
  user: { login: "longview[bot]", type: "Bot" },
  path: "src/a.js",
  line: 14,
  html_url: "https://x/9",
  ...extra,
});

describe("a finding comment holds the whole finding (version 2)", () => {
  const posted = identified({
    path: "src/db/users.ts",
    line: 14,
    startLine: 13,
    severity: "P0",
    category: "security",
    title: "SQL injection through `name` <img src=x>",
    body: "`name` is interpolated into the SQL text.\n\nPass it as a parameter; see @octocat's note.",
    suggestion: '  db.query("SELECT 1 WHERE a = $1", [name]);',
    confidence: 0.9,
    source: "eslint",
    ruleId: "longview/sql-injection",
    corroboratedBy: ["agent"],
  });

  test("read back exactly as posted, from the record, not from the (neutralised) text", () => {
    const read = findingFromComment(comment(formatFindingComment(posted), { path: "src/db/users.ts" }));
    const { placement: _placement, placementNote: _note, fingerprint, anchor, ...whole } = posted;
    expect(read).toEqual({ finding: whole, commentId: 9, fingerprint, anchor, url: "https://x/9" });
  });

  test("the visible format can change without breaking it: the record alone decides", () => {
    const body = formatFindingComment(posted).replace(/^\*\*P0 · security\*\* — .*$/m, "### A redesigned header");
    expect(findingFromComment(comment(body))?.finding).toMatchObject({ title: posted.title, severity: "P0", suggestion: posted.suggestion });
  });

  test("the record is bounded: long text is cut, an over-long suggestion is left out rather than cut", () => {
    const big = identified({ title: "t".repeat(5_000), body: "b".repeat(50_000), suggestion: "s".repeat(50_000) });
    const text = formatFindingComment(big);
    const read = findingFromComment(comment(text))!.finding;
    expect(read.title.length).toBeLessThanOrEqual(MAX_RECORD_TEXT.title);
    expect(read.body.length).toBeLessThanOrEqual(MAX_RECORD_TEXT.body);
    expect(read.suggestion).toBeNull();
  });

  test("a forged or damaged record is not a finding's record", () => {
    const forged = (json: unknown) => `**P0 · bug** — x\n\n<!-- longview:finding v2 data=${Buffer.from(JSON.stringify(json)).toString("base64url")} -->`;
    const good = JSON.parse(Buffer.from(/data=([\w-]+)/.exec(formatFindingComment(posted))![1]!, "base64url").toString());
    expect(findingFromComment(comment(forged({ ...good, v: 3 })))?.finding.title).toBe("x");
    expect(findingFromComment(comment(forged({ ...good, severity: "P9" })))?.finding.title).toBe("x");
    expect(findingFromComment(comment("<!-- longview:finding v2 data=!!!notbase64 -->"))).toBeNull();
  });
});

describe("comments posted before findings were stored whole (version 1)", () => {
  // Written by the formatter as it was before the record (kept verbatim in the fixture).
  const v1 = readFileSync(new URL("../../fixtures/github/finding-comment-v1.md", import.meta.url), "utf8");

  test("are still read: the text from the visible comment, the identity from the marker", () => {
    const read = findingFromComment(comment(v1, { path: "src/db/users.ts", line: 14, start_line: 13, side: "RIGHT" }));
    expect(read).toMatchObject({
      commentId: 9,
      fingerprint: "0123456789abcdef",
      anchor: "abcdefabcdef",
      finding: {
        path: "src/db/users.ts",
        line: 14,
        startLine: 13,
        severity: "P0",
        category: "security",
        source: "eslint",
        ruleId: "longview/sql-injection",
        corroboratedBy: ["agent"],
        suggestion: '  db.query("SELECT 1 WHERE a = $1", [name]);',
      },
    });
    expect(read?.finding.title).toContain("SQL injection through `name`");
  });

  test("parseFindingText reads the old layout", () => {
    expect(parseFindingText(v1)).toMatchObject({
      severity: "P0",
      category: "security",
      source: "eslint",
      ruleId: "longview/sql-injection",
      corroboratedBy: ["agent"],
    });
  });

  test("ordinary comments are not findings", () => {
    expect(parseFindingText("Could you rename this?")).toBeNull();
    expect(parseFindingText("**P5 · bug** — nope")).toBeNull();
    expect(findingFromComment(comment("Could you rename this?"))).toBeNull();
  });
});

describe("the credit line", () => {
  test("an agent finding corroborated by an analyzer carries the analyzer's rule", () => {
    const body = formatFindingComment(placed({ source: "agent", ruleId: "longview/sql-injection", corroboratedBy: ["longview-rules"] }));
    expect(body).toContain("Longview · agent; also reported by longview-rules `longview/sql-injection`");
  });
});

describe("a finding's verification is shown and stored", () => {
  test("confirmed: score and reason in the credit line, and back from the record, so later gates and `/agent fix` see the score", () => {
    const verification = { status: "confirmed", score: 0.62, reason: "line 5 compares with == <img src=x>" } as const;
    const body = formatFindingComment(identified({ verification }));
    expect(body).toContain("verified (0.62): line 5 compares with ==");
    expect(body).not.toContain("<img");
    expect(findingFromComment(comment(body))?.finding.verification).toEqual(verification);
  });

  test("failed: marked as not verified, said not to gate; a long reason is cut in the record, not refused", () => {
    const body = formatFindingComment(identified({ verification: { status: "failed", score: 0.9, reason: "x".repeat(2_000) } }));
    expect(body).toContain("**not verified**");
    const back = findingFromComment(comment(body))?.finding.verification;
    expect(back?.status).toBe("failed");
    expect(back?.reason.length).toBeLessThanOrEqual(300);
  });

  test("records written before verification (no field) still read, as deterministic-looking findings", () => {
    const body = formatFindingComment(identified());
    expect(findingFromComment(comment(body))?.finding.verification).toBeUndefined();
  });
});
