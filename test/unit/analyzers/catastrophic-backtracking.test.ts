import { describe, expect, test } from "@jest/globals";
import { findCatastrophicBacktracking } from "../../../src/analyzers/regex/catastrophic-backtracking.js";

describe("findCatastrophicBacktracking", () => {
  test.each([
    ["(a+)+b", "(a+)+"],
    ["^(a+)+$", "(a+)+"],
    ["(.*)*x", "(.*)*"],
    ["(\\w+\\s?)*$", "(\\w+\\s?)*"],
    ["(x+x+)+y", "(x+x+)+"],
    ["^(?:\\s*\\w+)*$", "(?:\\s*\\w+)*"],
    ["(a*)*b", "(a*)*"],
    ["^(([a-z])+.)+[A-Z]([a-z])+$", "(([a-z])+.)+"],
    ["^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+$", "(([\\-.]|[_]+)?([a-zA-Z0-9]+))*"],
    ["(\\d+|x)+z", "(\\d+|x)+"],
    ["(a+){2,}$", "(a+){2,}"],
    ["^((ab)+)+$", "((ab)+)+"],
    ["(?:(a+)+)?\\b", "(a+)+"],
    ["(?=(a+)+)", "(a+)+"],
    ['"(?:[^"\\\\]+|\\\\.)*"', '(?:[^"\\\\]+|\\\\.)*'],
  ])("flags %s", (pattern, fragment) => {
    expect(findCatastrophicBacktracking(pattern)).toEqual({ fragment });
  });

  test.each([
    "a+b+",
    "(ab)+",
    "(\\d+\\.)*\\d+",
    "^(\\s*,\\s*\\w+)*$",
    "(ab+)+",
    "(a+b)*",
    "^[a-z]+(-[a-z]+)*$",
    "(a+){1,5}",
    "(x\\d+)+",
    "^(?:[a-z0-9]+(?:-[a-z0-9]+)*\\.)+[a-z]{2,}$",
    '(?:\\\\.|[^"\\\\])*',
    "^\\s*$",
    "((",
    // Nothing after the repetition can fail, so the first greedy attempt succeeds.
    "(a+)+",
    "(.*)*",
    "(?:[^\\s\"']+|\"[^\"]*\"|'[^']*')+",
    "^x(a+)+(?:y)?",
  ])("accepts %s", (pattern) => {
    expect(findCatastrophicBacktracking(pattern)).toBeNull();
  });

  test("case-insensitive flag widens the overlap", () => {
    expect(findCatastrophicBacktracking("^(A[a-z]+)+$")).toBeNull();
    expect(findCatastrophicBacktracking("^(A[a-z]+)+$", "i")).toEqual({ fragment: "(A[a-z]+)+" });
  });

  test("the flagged pattern really backtracks exponentially and the accepted one does not", () => {
    const input = `${"a".repeat(22)}!`;
    const time = (re: RegExp): number => {
      const start = performance.now();
      re.test(input);
      return performance.now() - start;
    };
    expect(findCatastrophicBacktracking("^(a+)+$")).not.toBeNull();
    expect(findCatastrophicBacktracking("^(a+b)*$")).toBeNull();
    expect(time(/^(a+)+$/)).toBeGreaterThan(20 * Math.max(time(/^(a+b)*$/), 0.05));
  });
});
