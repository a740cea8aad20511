import { describe, expect, test } from "@jest/globals";
import { languagesOf } from "../../../src/context/syntax/languages.js";
import { hasGrammar, initSyntax, treeSitterOutline } from "../../../src/context/syntax/tree-sitter.js";

// A file of its own: jest gives it fresh modules, so no other test has loaded a grammar yet.
describe("tree-sitter grammars load per language, on first use", () => {
  test("nothing is loaded before a caller asks", () => {
    expect(hasGrammar("javascript")).toBe(false);
    expect(treeSitterOutline("javascript", "function f() {}")).toBeNull();
  });

  test("a caller gets the grammars of its files and no others", async () => {
    const languages = languagesOf(["lib/router.js", "lib/view.js", "README.md", "test/app.mjs"]);
    expect(languages).toEqual(["javascript"]);
    const status = await initSyntax({ languages });
    expect(status).toEqual({ languages: ["javascript"], failures: [] });
    expect(hasGrammar("javascript")).toBe(true);
    for (const other of ["typescript", "tsx", "python", "go", "java"] as const) expect(hasGrammar(other)).toBe(false);
    expect(treeSitterOutline("javascript", "function route() {}\n")?.defs.map((d) => d.name)).toEqual(["route"]);
  });

  test("a later caller adds its languages; what is loaded stays loaded", async () => {
    const status = await initSyntax({ languages: ["python", "javascript"] });
    expect(status.languages).toEqual(["python", "javascript"]);
    expect(hasGrammar("python") && hasGrammar("javascript")).toBe(true);
    expect(hasGrammar("go")).toBe(false);
  });

  test("callers asking at the same time share one load per grammar", async () => {
    const [a, b] = await Promise.all([initSyntax({ languages: ["go"] }), initSyntax({ languages: ["go", "java"] })]);
    expect(a.languages).toEqual(["go"]);
    expect(b.languages).toEqual(["go", "java"]);
  });

  test("no languages asked: every grammar", async () => {
    expect((await initSyntax()).languages).toEqual(["typescript", "tsx", "javascript", "python", "go", "java"]);
  });
});
