import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { escapeCommandData, neutralizeWorkflowCommands, uninterpretedBlock, workflowCommand } from "../../../src/action/workflow-commands.js";

/**
 * What the Action prints holds pull-request and model text; the runner must
 * never read a line of it as a workflow command. "Read as a command" is
 * modelled as the runner does it: lines split at \n, \r\n and \r, leading
 * whitespace trimmed, then `::` or `##[`.
 */

function runnerCommands(output: string): string[] {
  return output
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^[\s\u0085\u180e\u200b-\u200d\u2060\ufeff]*/u, ""))
    .filter((line) => line.startsWith("::") || line.startsWith("##["));
}

describe("neutralizeWorkflowCommands", () => {
  test("command lines of every form become text that reads the same", () => {
    const hostile = [
      "::add-mask::ghp_secret",
      "::set-output name=conclusion::success",
      "   \t::warning::indented",
      "\u00a0::error::after a non-breaking space",
      "##[error]the old syntax",
      "text\r::stop-commands::abc",
      "crlf\r\n::save-state name=x::y",
      "a line that merely :: contains colons",
    ].join("\n");
    const out = neutralizeWorkflowCommands(hostile);
    expect(runnerCommands(out)).toEqual([]);
    expect(out.replaceAll("\u200b", "")).toBe(hostile.replace(/\r\n|\r/g, "\n"));
    expect(out).toContain("a line that merely :: contains colons");
  });

  test("property: no input yields a line the runner reads as a command", () => {
    const piece = fc.constantFrom("::", "##[", "\r", "\n", "\r\n", " ", "\t", "\u00a0", "\ufeff", "add-mask", ":", "#", "[", "x");
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }), (parts) => {
        expect(runnerCommands(neutralizeWorkflowCommands(parts.join("")))).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("workflowCommand", () => {
  test("the message and the properties stay on one line whatever they hold", () => {
    const line = workflowCommand("warning", "50% done\r\n::add-mask::x", { file: "src/a,b:c.js", line: 3, title: "P1 ::set-output name=x::y" });
    expect(line).toBe("::warning file=src/a%2Cb%3Ac.js,line=3,title=P1 %3A%3Aset-output name=x%3A%3Ay::50%25 done%0D%0A::add-mask::x\n");
    expect(runnerCommands(line)).toHaveLength(1);
  });

  test("escapeCommandData round-trips through the runner's unescaping", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const unescaped = escapeCommandData(text).replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%25", "%");
        expect(unescaped).toBe(text);
        expect(escapeCommandData(text)).not.toMatch(/[\r\n]/);
      }),
    );
  });
});

describe("uninterpretedBlock", () => {
  test("stop-commands around the text, with the lines inside neutralised too", () => {
    const block = uninterpretedBlock("## Review\n::add-mask::x\n", "0123abcd");
    expect(block).toBe("::stop-commands::0123abcd\n## Review\n:\u200b:add-mask::x\n::0123abcd::\n");
    expect(runnerCommands(block)).toEqual(["::stop-commands::0123abcd", "::0123abcd::"]);
  });
});
