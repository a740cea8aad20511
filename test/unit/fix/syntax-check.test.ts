import { describe, expect, test } from "@jest/globals";
import { checkSyntax } from "../../../src/fix/syntax-check.js";

describe("checkSyntax", () => {
  test.each([
    ["a.ts", "const x: number = 1;\n", { kind: "ok", parser: "TypeScript" }],
    ["a.tsx", "export const A = () => <div>{1}</div>;\n", { kind: "ok", parser: "TypeScript" }],
    ["a.ts", "const x: number = (1;\n", { kind: "errors", parser: "TypeScript", errors: ["line 1: ')' expected."] }],
    ["a.js", "const x: number = 1;\n", { kind: "errors", parser: "TypeScript", errors: ["line 1: Type annotations can only be used in TypeScript files."] }],
    ["a.py", "def f():\n    return 1\n", { kind: "ok", parser: "tree-sitter (python)" }],
    ["a.py", "def f(:\n    return 1\n", { kind: "errors", parser: "tree-sitter (python)", errors: [expect.stringMatching(/^line 1: /)] }],
    ["main.go", "package main\n\nfunc main() {}\n", { kind: "ok", parser: "tree-sitter (go)" }],
    ["A.java", "class A { void f() { int x = ; } }\n", { kind: "errors", parser: "tree-sitter (java)", errors: [expect.stringMatching(/^line 1: /)] }],
    ["a.rb", "puts(\n", { kind: "unchecked", reason: "no parser for this language" }],
  ])("%s %#", async (path, text, expected) => {
    expect(await checkSyntax(path, text)).toEqual(expected);
  });
});
