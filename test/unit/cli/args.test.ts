import { describe, expect, test } from "@jest/globals";
import { parseContextArgs, parseReviewArgs } from "../../../src/cli/args.js";
import { UsageError } from "../../../src/cli/io.js";

function options(args: string[]) {
  const parsed = parseReviewArgs(args);
  if (parsed.help) throw new Error("unexpected help");
  return parsed.options;
}

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseReviewArgs", () => {
  test("defaults: a git range of the current directory, text output", () => {
    expect(options([])).toEqual({
      source: { kind: "git", repo: ".", base: undefined, head: undefined, workingTree: false },
      config: undefined,
      budget: undefined,
      output: undefined,
      quiet: false,
      verbose: false,
      format: "text",
      failOn: undefined,
      pull: undefined,
      post: false,
    });
  });

  test("a git range with every option", () => {
    const o = options([
      "--base",
      "A",
      "--head=B",
      "--repo",
      "r",
      "--format",
      "sarif",
      "--fail-on",
      "P2:bug",
      "--budget",
      "8000",
      "-o",
      "out.sarif",
      "-q",
      "--config",
      "c.yml",
    ]);
    expect(o).toMatchObject({
      source: { kind: "git", repo: "r", base: "A", head: "B" },
      format: "sarif",
      failOn: "P2:bug",
      budget: 8000,
      output: "out.sarif",
      quiet: true,
      config: "c.yml",
    });
  });

  test("a diff file or stdin", () => {
    expect(options(["--diff", "-"]).source).toEqual({ kind: "diff", diff: "-", repo: undefined });
    expect(options(["--diff", "x.patch", "--repo", "."]).source).toEqual({ kind: "diff", diff: "x.patch", repo: "." });
  });

  test("help", () => {
    expect(parseReviewArgs(["--format", "json", "--help"])).toEqual({ help: true });
  });

  test.each([
    [["--format", "xml"], 'invalid --format "xml" (expected text, json, markdown, sarif)'],
    [["--budget", "lots"], '--budget expects a whole number of tokens, got "lots"'],
    [["--budget", "10"], "--budget must be at least 2000 tokens"],
    [["--diff", "x", "--base", "main"], "--diff cannot be combined with --base"],
    [["--working-tree", "--head", "B"], "--working-tree compares with the working tree; it cannot be combined with --head"],
    [["--quiet", "--verbose"], "--quiet and --verbose cannot be combined"],
    [["extra"], 'unexpected argument "extra"'],
    [["--base", ""], "--base needs a value"],
  ])("rejects %j", (args, message) => {
    expect(usageMessage(() => parseReviewArgs(args))).toBe(message);
  });

  test("unknown options and missing values are usage errors", () => {
    expect(usageMessage(() => parseReviewArgs(["--nope"]))).toMatch(/Unknown option '--nope'/);
    expect(usageMessage(() => parseReviewArgs(["--base"]))).toMatch(/--base/);
  });
});

describe("parseContextArgs", () => {
  test("accepts text and json only", () => {
    const parsed = parseContextArgs(["--diff", "-", "--format", "json", "--budget", "4000"]);
    expect(parsed).toMatchObject({ help: false, options: { format: "json", budget: 4000, source: { kind: "diff", diff: "-" } } });
    expect(usageMessage(() => parseContextArgs(["--format", "sarif"]))).toBe('invalid --format "sarif" (expected text, json)');
    expect(usageMessage(() => parseContextArgs(["--fail-on", "P1"]))).toMatch(/Unknown option '--fail-on'/);
  });
});
