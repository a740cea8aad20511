import { describe, expect, test } from "@jest/globals";
import { UsageError } from "../../../src/cli/io.js";
import { parseEvalArgs } from "../../../src/eval/args.js";

describe("eval arguments", () => {
  test("defaults", () => {
    expect(parseEvalArgs(["--dataset", "eval/cases"])).toEqual({
      kind: "run",
      options: {
        dataset: "eval/cases",
        offline: false,
        model: undefined,
        out: undefined,
        compare: undefined,
        tolerance: 3,
        judge: false,
        judgeModel: undefined,
        budget: undefined,
        concurrency: 1,
        cases: [],
        quiet: false,
        verbose: false,
      },
    });
  });

  test("every option", () => {
    const command = parseEvalArgs([
      "--dataset=d",
      "--model",
      "gpt-5-mini",
      "--out",
      "o",
      "--compare",
      "prev.json",
      "--tolerance",
      "0",
      "--judge",
      "--judge-model",
      "gpt-5",
      "--budget",
      "8000",
      "--concurrency",
      "4",
      "--case",
      "a",
      "--case",
      "b",
      "-q",
    ]);
    expect(command).toMatchObject({
      kind: "run",
      options: {
        dataset: "d",
        model: "gpt-5-mini",
        out: "o",
        compare: "prev.json",
        tolerance: 0,
        judge: true,
        judgeModel: "gpt-5",
        budget: 8000,
        concurrency: 4,
        cases: ["a", "b"],
        quiet: true,
      },
    });
  });

  test.each([
    [[], "--dataset is required"],
    [["--dataset", "d", "--tolerance", "-1"], "--tolerance"],
    [["--dataset", "d", "--tolerance", "two"], "whole number"],
    [["--dataset", "d", "--offline", "--judge"], "cannot be combined with --offline"],
    [["--dataset", "d", "--judge-model", "x"], "needs --judge"],
    [["--dataset", "d", "--budget", "100"], "at least 2000"],
    [["--dataset", "d", "--nope"], "nope"],
    [["--dataset", "d", "extra"], "unexpected argument"],
    [["import-martian", "--input", "i", "--diffs", "d"], "--out is required"],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseEvalArgs(argv)).toThrow(UsageError);
    expect(() => parseEvalArgs(argv)).toThrow(message);
  });

  test("help and import-martian", () => {
    expect(parseEvalArgs(["--help"])).toEqual({ kind: "help", topic: "run" });
    expect(parseEvalArgs(["import-martian", "-h"])).toEqual({ kind: "help", topic: "import-martian" });
    expect(parseEvalArgs(["import-martian", "--input", "g.json", "--diffs", "d", "--out", "o"])).toEqual({
      kind: "import-martian",
      options: { input: "g.json", diffs: "d", out: "o" },
    });
  });
});
