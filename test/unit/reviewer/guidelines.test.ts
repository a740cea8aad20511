import { describe, expect, test } from "@jest/globals";
import { MAX_GUIDELINES_CHARS, extractReviewGuidelines } from "../../../src/reviewer/guidelines.js";

describe("extractReviewGuidelines", () => {
  test("returns the section under a level-2 heading, up to the next heading of the same level", () => {
    const md = [
      "# AGENTS.md",
      "Build with `npm run build`.",
      "## Review guidelines",
      "- Flag SQL built from strings as P1.",
      "### Details",
      "Money is stored in cents.",
      "## Testing",
      "Run `npm test`.",
    ].join("\n");
    expect(extractReviewGuidelines(md)).toBe("- Flag SQL built from strings as P1.\n### Details\nMoney is stored in cents.");
  });

  test("matches any heading level and case, with a closing sequence or a trailing colon", () => {
    expect(extractReviewGuidelines("#### REVIEW GUIDELINES ####\nbe strict\n#### Next\nno")).toBe("be strict");
    expect(extractReviewGuidelines("# Review Guidelines:\nbe strict\n")).toBe("be strict");
  });

  test("a higher-level heading ends the section; a lower-level one does not", () => {
    const md = "### Review guidelines\na\n#### sub\nb\n## Other\nc";
    expect(extractReviewGuidelines(md)).toBe("a\n#### sub\nb");
  });

  test("runs to the end of the file when no heading follows", () => {
    expect(extractReviewGuidelines("## Review guidelines\r\nline one\r\nline two\r\n")).toBe("line one\nline two");
  });

  test("ignores headings inside code fences", () => {
    const md = ["```md", "## Review guidelines", "fake", "```", "## Review guidelines", "~~~", "# not a heading", "~~~", "real", "## After"].join("\n");
    expect(extractReviewGuidelines(md)).toBe("~~~\n# not a heading\n~~~\nreal");
  });

  test("returns an empty string when the section is absent or empty", () => {
    expect(extractReviewGuidelines("# Title\n## Setup\nnpm ci\n")).toBe("");
    expect(extractReviewGuidelines("")).toBe("");
    expect(extractReviewGuidelines("## Review guidelines\n\n## Next\ntext")).toBe("");
    expect(extractReviewGuidelines("##Review guidelines\ntext")).toBe("");
    expect(extractReviewGuidelines("## Review guidelines for humans\ntext")).toBe("");
  });

  test("caps a long section at a line boundary and says it was truncated", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `- rule number ${i} about something important`);
    const result = extractReviewGuidelines(`## Review guidelines\n${lines.join("\n")}`);
    expect(result.length).toBeLessThanOrEqual(MAX_GUIDELINES_CHARS);
    expect(result.endsWith("[…guidelines truncated]")).toBe(true);
    expect(result.startsWith("- rule number 0 about")).toBe(true);
    const kept = result.split("\n").slice(0, -1);
    expect(kept.every((line) => /^- rule number \d+ about something important$/.test(line))).toBe(true);
  });
});
