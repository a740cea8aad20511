import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { clipToTokens, countCached, countTokens } from "../../../src/context/tokens.js";

describe("countTokens", () => {
  test("counts o200k tokens and treats special-token text as plain text", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
    expect(countTokens("a <|endoftext|> b")).toBeGreaterThan(3);
    expect(countCached("const x = 1;\n")).toBe(countTokens("const x = 1;\n"));
  });

  test("line prefixes cost 2 tokens plus one per group of three digits (the renderer relies on it)", () => {
    for (const n of [0, 7, 42, 100, 999, 1000, 1005, 10050, 99999, 100000, 123456, 1000000, 2345678]) {
      const digits = String(n).length;
      for (const [tag, marker] of [
        ["R", " +"],
        ["L", " -"],
        ["R", " |"],
        ["~", " |"],
      ] as const) {
        expect(countTokens(`${tag}${n}${marker}`)).toBe(2 + Math.ceil(digits / 3));
      }
    }
  });

  test("segments that end with a newline and are followed by a marker character count additively", () => {
    const text = fc.string({
      unit: fc.constantFrom(
        "a",
        "Z",
        "é",
        "中",
        "😀",
        "0",
        "9",
        " ",
        "\t",
        "\r",
        "/",
        "//",
        "*",
        "{",
        "}",
        ";",
        "'s",
        '"',
        "-",
        "+",
        "|",
        "\u2028",
        "\u00a0",
        "<|endoftext|>",
        "=>",
      ),
    });
    const segment = fc.oneof(
      fc.tuple(fc.constantFrom("R", "L", "~"), fc.nat(2_000_000), fc.constantFrom(" +", " -", " |"), text).map(([t, n, m, s]) => [`${t}${n}${m}`, ` ${s}\n`]),
      text.map((s) => [`## ${s}\n`]),
      text.map((s) => [`- [note] ${s}\n`]),
      text.map((s) => [`@@ -1,2 +1,3 @@${s}\n`]),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.string(), (segments, free) => {
        // A free-text block (like the global layer) ending in a newline may come first.
        const parts = [`${free}\n`, ...segments.flat()];
        expect(countTokens(parts.join(""))).toBe(parts.reduce((n, p) => n + countTokens(p), 0));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test("clipToTokens keeps a prefix within the limit", () => {
    const text = "word ".repeat(500);
    const clipped = clipToTokens(text, 100);
    expect(text.startsWith(clipped)).toBe(true);
    expect(countTokens(clipped)).toBeLessThanOrEqual(100);
    expect(clipToTokens("short", 100)).toBe("short");
  });
});
