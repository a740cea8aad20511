import { describe, expect, test } from "@jest/globals";
import { parseRepoConfig } from "../../../src/config/repo-config.js";
import { isSuppressed } from "../../../src/review/suppressions.js";

/** `review.suppress` in `.github/longview.yml`: parsed entry by entry, matched on every field an entry gives. */

describe("review.suppress", () => {
  test("valid entries are kept; a bad one is dropped and reported without resetting the rest of `review`", () => {
    const { config, problems } = parseRepoConfig({
      review: {
        maxInlineComments: 7,
        suppress: [{ rule: "no-console" }, { path: "vendor/**", reason: "third-party code" }, {}, { title: "magic number", colour: "red" }, "x"],
      },
    });
    expect(config.review.maxInlineComments).toBe(7);
    expect(config.review.suppress).toEqual([{ rule: "no-console" }, { path: "vendor/**", reason: "third-party code" }]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/review\.suppress\[2\].*at least one of `rule`, `path` or `title`/);
    expect(problems[1]).toMatch(/review\.suppress\[3\]/);
    expect(problems[2]).toMatch(/review\.suppress\[4\]/);
  });

  test("absent: no suppressions; not a list: the review section's defaults and a problem", () => {
    expect(parseRepoConfig({}).config.review.suppress).toEqual([]);
    const { config, problems } = parseRepoConfig({ review: { suppress: "no-console" } });
    expect(config.review.suppress).toEqual([]);
    expect(problems[0]).toMatch(/review\.suppress/);
  });

  test("an entry matches when every field it gives matches: rule exactly, path as a glob, title as text ignoring case", () => {
    const f = { path: "src/.config/app.ts", ruleId: "no-console", title: "Debug output left in: console.log" };
    expect(isSuppressed(f, [{ rule: "no-console" }])).toBe(true);
    expect(isSuppressed(f, [{ rule: "no-consol" }])).toBe(false);
    expect(isSuppressed(f, [{ path: "src/**" }])).toBe(true);
    expect(isSuppressed(f, [{ path: "test/**" }])).toBe(false);
    expect(isSuppressed(f, [{ title: "CONSOLE.LOG" }])).toBe(true);
    expect(isSuppressed(f, [{ rule: "no-console", path: "test/**" }])).toBe(false);
    expect(isSuppressed({ ...f, ruleId: null }, [{ rule: "no-console" }])).toBe(false);
    expect(isSuppressed(f, [])).toBe(false);
  });
});
