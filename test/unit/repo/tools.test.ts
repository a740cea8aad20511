import { describe, expect, it } from "@jest/globals";
import { memorySnapshot } from "../../../src/repo/memory-snapshot.js";
import { readRange, renderReadRange } from "../../../src/repo/read-range.js";
import { compileSearchPattern } from "../../../src/repo/safe-pattern.js";
import { renderSearch, searchRepository, SearchArgsSchema, DEFAULT_SEARCH_LIMITS } from "../../../src/repo/search.js";
import { findDefinitions, findReferences, renderDefinitions, renderReferences, SymbolArgsSchema } from "../../../src/repo/symbols.js";

const FILES = {
  "src/a.ts": "export function parse(input: string, strict = false): Node {\n  return lex(input);\n}\n",
  "src/b.ts": 'import { parse } from "./a.js";\nconst tree = parse(text, true);\nconst parser = 1;\n',
  "lib/util.py": "def parse(text, *, strict=False) -> dict:\n    return {}\n",
  "test/a.test.ts": 'import { parse } from "../src/a.js";\nit("parses", () => parse("x"));\n',
  "notes.txt": "parse me\n".repeat(5),
};
const snapshot = () => memorySnapshot(FILES);

describe("readRange", () => {
  it("returns numbered lines, clipped to the file and the limit", async () => {
    const r = await readRange(snapshot(), { path: "src/b.ts", startLine: 2, endLine: 99 });
    expect(r).toMatchObject({ found: true, startLine: 2, endLine: 3, totalLines: 3, clipped: true });
    expect(renderReadRange(r)).toBe("src/b.ts:2-3 of 3 (clipped)\n2| const tree = parse(text, true);\n3| const parser = 1;");
    const limited = await readRange(snapshot(), { path: "notes.txt" }, { maxLines: 2, maxLineChars: 4 });
    expect(limited.lines).toEqual([
      { line: 1, text: "pars…" },
      { line: 2, text: "pars…" },
    ]);
    expect(limited.clipped).toBe(true);
  });

  it("says when there is no such file", async () => {
    const r = await readRange(snapshot(), { path: "missing.ts" });
    expect(r.found).toBe(false);
    expect(renderReadRange(r)).toContain("no such text file");
  });
});

describe("searchRepository", () => {
  it("finds literals and whole words, filtered by glob", async () => {
    const r = await searchRepository(snapshot(), { query: "parse", wholeWord: true, glob: "src/**" });
    expect(r.matches.map((m) => `${m.path}:${m.line}`)).toEqual(["src/a.ts:1", "src/b.ts:1", "src/b.ts:2"]);
    expect(r.truncated).toEqual([]);
    expect(renderSearch(r)).toContain("src/b.ts:2: const tree = parse(text, true);");
    expect(renderSearch(r)).toMatch(/complete\.$/);
  });

  it("bounds matches and bytes and reports the truncation", async () => {
    const r = await searchRepository(snapshot(), { query: "parse" }, { ...DEFAULT_SEARCH_LIMITS, maxMatches: 2 });
    expect(r.matches).toHaveLength(2);
    expect(r.truncated).toContain("matches");
    expect(renderSearch(r)).toContain("INCOMPLETE");
    const bytes = await searchRepository(snapshot(), { query: "zzz" }, { ...DEFAULT_SEARCH_LIMITS, maxBytes: 50 });
    expect(bytes.truncated).toContain("bytes");
  });

  it("stops at its deadline", async () => {
    let t = 0;
    const r = await searchRepository(snapshot(), { query: "parse" }, { ...DEFAULT_SEARCH_LIMITS, timeMs: 1 }, undefined, { now: () => (t += 5) });
    expect(r.truncated).toContain("time");
  });

  it("runs safe regular expressions and refuses dangerous ones", async () => {
    const ok = await searchRepository(snapshot(), { query: String.raw`parse\(\w+, (true|false)\)`, regex: true });
    expect(ok.matches.map((m) => m.path)).toEqual(["src/b.ts"]);
    for (const query of ["(a+)+$", String.raw`(\w)\1`, "x".repeat(201), "[unclosed"]) {
      const parsed = SearchArgsSchema.safeParse({ query, regex: true });
      if (!parsed.success) continue; // over the schema's length limit
      const r = await searchRepository(snapshot(), { query, regex: true });
      expect(r.rejected).not.toBeNull();
      expect(r.matches).toEqual([]);
      expect(renderSearch(r)).toMatch(/^Search refused/);
    }
    expect(compileSearchPattern("(a+)+b", { regex: true, caseSensitive: true, wholeWord: false }).ok).toBe(false);
  });
});

describe("definitions and references", () => {
  it("finds definitions from outlines, with signatures, in TS and Python", async () => {
    const r = await findDefinitions(snapshot(), { symbol: "parse" });
    expect(r.definitions.map((d) => `${d.path}:${d.line}`)).toEqual(["lib/util.py:1", "src/a.ts:1"]);
    const ts = r.definitions.find((d) => d.path === "src/a.ts")!;
    expect(ts.signature.parameters).toEqual([
      { name: "input", optional: false, rest: false, defaultText: null },
      { name: "strict", optional: true, rest: false, defaultText: "false" },
    ]);
    expect(ts.signature.returnType).toBe("Node");
    expect(r.definitions.find((d) => d.path === "lib/util.py")!.signature.returnType).toBe("dict");
    expect(renderDefinitions(r)).toContain("src/a.ts:1-3 function export function parse(input: string, strict = false): Node");
  });

  it("lists references by kind, without the definitions or partial words", async () => {
    const r = await findReferences(snapshot(), { symbol: "parse", glob: ["src/**", "test/**"] });
    expect(r.references.map((x) => `${x.path}:${x.line}:${x.kind}`)).toEqual([
      "src/b.ts:1:reference",
      "src/b.ts:2:call",
      "test/a.test.ts:1:test",
      "test/a.test.ts:2:test",
    ]);
    expect(renderReferences(r)).toContain("src/b.ts:2 [call]");
  });

  it("accepts identifiers only", () => {
    expect(SymbolArgsSchema.safeParse({ symbol: "a.b" }).success).toBe(false);
    expect(SymbolArgsSchema.safeParse({ symbol: "$ok_1" }).success).toBe(true);
  });
});

describe("readSignature", () => {
  it("starts after decorators, even one that mentions the name", async () => {
    const { readSignature } = await import("../../../src/repo/signature.js");
    const lines = ['@router.post("/signup", response_model=Out)', "@traced", "async def signup(body: In, *, dry_run: bool = False) -> Out:", "    return body"];
    const sig = readSignature(lines, 1, "signup", "python");
    expect(sig).toMatchObject({ line: 3, text: "async def signup(body: In, *, dry_run: bool = False) -> Out", returnType: "Out" });
    expect(sig.parameters!.map((p) => [p.name, p.optional])).toEqual([
      ["body", false],
      ["dry_run", true],
    ]);
  });

  it("reads Go receivers, grouped parameters and result lists", async () => {
    const { readSignature } = await import("../../../src/repo/signature.js");
    const sig = readSignature(["func (s *Store) Move(from, to string, ids ...int) (int, error) {"], 1, "Move", "go");
    expect(sig.parameters!.map((p) => [p.name, p.rest])).toEqual([
      ["from", false],
      ["to", false],
      ["ids", true],
    ]);
    expect(sig.returnType).toBe("(int, error)");
  });
});
