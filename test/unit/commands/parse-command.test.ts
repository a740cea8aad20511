import { describe, expect, test } from "@jest/globals";
import { MAX_INSTRUCTIONS_CHARS, parseCommand, type AgentCommand } from "../../../src/commands/parse-command.js";

describe("parseCommand", () => {
  const cases: Array<[string, string, AgentCommand | null]> = [
    ["fix without instructions", "/agent fix", { kind: "fix", instructions: "" }],
    ["fix with instructions", "/agent fix only the SQL one", { kind: "fix", instructions: "only the SQL one" }],
    [
      "instructions continue below the command",
      "/agent fix src/a.ts\nand keep the API stable",
      { kind: "fix", instructions: "src/a.ts\nand keep the API stable" },
    ],
    ["case-insensitive", "/AGENT Fix please", { kind: "fix", instructions: "please" }],
    ["punctuation after the name", "/agent fix: the title one", { kind: "fix", instructions: "the title one" }],
    ["CRLF line endings", "/agent fix one\r\ntwo\r\n", { kind: "fix", instructions: "one\ntwo" }],
    ["leading blank lines and indentation up to 3 spaces", "\n\n   /agent review", { kind: "review" }],
    ["review ignores trailing words", "/agent review now please", { kind: "review" }],
    ["undo", "/agent undo", { kind: "undo" }],
    ["undo ignores trailing words", "/Agent Undo. that last fix", { kind: "undo" }],
    ["help", "/agent help", { kind: "help" }],
    ["bare /agent is help", "/agent", { kind: "help" }],
    ["unknown subcommand", "/agent deploy prod", { kind: "unknown", name: "deploy" }],
    ["not at the start of the first line", "please /agent fix", null],
    ["on a later line only", "Looks good.\n/agent fix", null],
    ["a quote", "> /agent fix\nWhy did this run?", null],
    ["a code fence", "```\n/agent fix\n```", null],
    ["a tilde fence", "~~~\n/agent fix\n~~~", null],
    ["an indented code block", "    /agent fix", null],
    ["a tab-indented code block", "\t/agent fix", null],
    ["inline code", "`/agent fix`", null],
    ["a longer word", "/agents fix", null],
    ["an empty comment", "", null],
    ["whitespace only", "  \n\t\n", null],
  ];

  test.each(cases)("%s", (_name, body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  test("instructions are capped", () => {
    const command = parseCommand(`/agent fix ${"x".repeat(MAX_INSTRUCTIONS_CHARS * 2)}`);
    expect(command?.kind === "fix" && command.instructions.length).toBe(MAX_INSTRUCTIONS_CHARS);
  });
});
