import { test, expect } from "@jest/globals";
import { createRequire } from "node:module";

const samples: Record<string, string> = {
  typescript: "export class A {\n  m(x: number): number {\n    return x + 1;\n  }\n}\nfunction f<T>(a: T): T { return a; }\n",
  python: "class A:\n    def m(self, x):\n        return x + 1\n\ndef f(a):\n    return a\n",
  go: "package main\n\nfunc (a *A) M(x int) int {\n\treturn x + 1\n}\n\nfunc F(a int) int { return a }\n",
  java: "public class A {\n  public int m(int x) {\n    return x + 1;\n  }\n}\n",
  javascript: "class A { m(x) { return x + 1; } }\nconst f = (a) => a;\n",
  tsx: "export function C() { return <div>{1}</div>; }\n",
};

test("vscode", async () => {
  const require = createRequire(import.meta.url);
  const vs = require("@vscode/tree-sitter-wasm");
  await vs.Parser.init();
  const dir = require.resolve("@vscode/tree-sitter-wasm").replace(/tree-sitter\.js$/, "");
  for (const [g, src] of Object.entries(samples)) {
    const lang = await vs.Language.load(`${dir}tree-sitter-${g}.wasm`);
    const p = new vs.Parser(); p.setLanguage(lang);
    const t = p.parse(src);
    console.log("vscode", g, t.rootNode.hasError, t.rootNode.toString().slice(0, 200));
  }
});

test("wts", async () => {
  const { Parser, Language } = await import("web-tree-sitter");
  await Parser.init();
  for (const [g, src] of Object.entries(samples)) {
    const lang = await Language.load(`node_modules/tree-sitter-wasms/out/tree-sitter-${g}.wasm`);
    const p = new Parser(); p.setLanguage(lang);
    const t = p.parse(src)!;
    console.log("wts", g, t.rootNode.hasError, t.rootNode.toString().slice(0, 200));
  }
});
