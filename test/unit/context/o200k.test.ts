import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { countTokens as referenceCount, decode as referenceDecode, encode as referenceEncode } from "gpt-tokenizer/encoding/o200k_base";
import { countO200k, decodeO200k, encodeO200k, parseTiktoken } from "../../../src/context/o200k.js";
import { clipToTokens } from "../../../src/context/tokens.js";

// The compact encoder must give exactly gpt-tokenizer's o200k tokens: every window's budget is planned on them.
const PLAIN = { disallowedSpecial: new Set<string>() };
const reference = (text: string) => referenceEncode(text, PLAIN);
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const SCRIPTS = [
  "The quick brown fox jumps over the lazy dog. It's 12:30, isn't it? They'll've gone.",
  "Die Straße ist naß; Ärger über Öl. Ça va? Señor Muñoz comió piñata.",
  "Привет, как дела? Это тест токенизатора.",
  "中文分词测试：我们今天去公园散步。日本語のテキストも、カタカナとひらがな。",
  "한국어 문장입니다. مرحبا بالعالم. שלום עולם. नमस्ते दुनिया। สวัสดีครับ",
  "emoji 😀👍🏽👨‍👩‍👧‍👦 flags 🇩🇪🇯🇵 and ZWJ\u200d joins, combining e\u0301 and ǅ titlecase",
  "const x = await fetch(`${base}/api?q=${encodeURIComponent(q)}`); // TODO: retry\n\tif (!x.ok) throw new Error(x.statusText);\r\n",
  "def f(a, b=2, *args, **kw):\n    return [i ** 2 for i in range(10) if i % 3 == 0]\n\n\n",
  "    \n\n   \t\t  \r\n\r\n 1234567890 ٣٤٥ ①②③ 0x1F 1e-9",
  "special text <|endoftext|><|im_start|>user<|im_end|> stays plain",
  "lone surrogates \ud800 and \udfff in the middle, and at the end \ud83d",
];

describe("o200k, compact and exact", () => {
  test.each(SCRIPTS.map((s) => [s.slice(0, 30), s] as const))("%s…: the same tokens as gpt-tokenizer", (_name, text) => {
    expect(encodeO200k(text)).toEqual(reference(text));
    expect(countO200k(text)).toBe(referenceCount(text, PLAIN));
  });

  test("this repository's sources: the same counts as gpt-tokenizer, file by file", () => {
    const dir = join(ROOT, "src", "context");
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(dir, name), "utf8");
      expect([name, countO200k(text)]).toEqual([name, referenceCount(text, PLAIN)]);
    }
  });

  test("random text over code, scripts, emoji, whitespace and any UTF-16 unit: the same tokens", () => {
    const unit = fc.oneof(
      fc.constantFrom(
        "a",
        "Z",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "é",
        "ß",
        "中",
        "😀",
        "'s",
        "'LL",
        "123",
        "٣",
        "{",
        "=>",
        "\u0301",
        "\u00a0",
        "\u200b",
        "<|endoftext|>",
      ),
      // U+FEFF aside: see the byte-order-mark test below.
      fc
        .integer({ min: 0, max: 0xffff })
        .filter((c) => c !== 0xfeff)
        .map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        expect(encodeO200k(text)).toEqual(reference(text));
      }),
      { numRuns: 3_000 },
    );
  });

  test("runs of one character (equal pairs everywhere: the leftmost merges first, as in tiktoken)", () => {
    for (const ch of ["a", "=", "-", "*", "_", "#", "~", ".", "é", "中", "😀", "\t", "ab", "aab", "abc"]) {
      for (let n = 2; n <= 48; n++) expect([ch, n, encodeO200k(`x${ch.repeat(n)}`)]).toEqual([ch, n, reference(`x${ch.repeat(n)}`)]);
    }
  });

  test("long pieces (merged through the heap): the same tokens as gpt-tokenizer's scan", () => {
    const letters = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzé"), minLength: 257, maxLength: 2_000 });
    fc.assert(
      fc.property(letters, (word) => {
        expect(encodeO200k(`x${word}`)).toEqual(reference(`x${word}`));
      }),
      { numRuns: 60 },
    );
    for (const n of [257, 300, 511, 512, 1_000]) expect(encodeO200k(`x${"a".repeat(n)}`)).toEqual(reference(`x${"a".repeat(n)}`));
  });

  test("a megabyte without a split point is counted, not stuck (a scan after every merge is quadratic)", () => {
    const run = "a".repeat(1_000_000);
    // o200k has "aaaaaaaa" (8 letters): the merges end in 125,000 of them.
    expect(countO200k(run)).toBe(125_000);
    const word = "lorem".repeat(20_000);
    expect(countO200k(`${word} ${word}`)).toBe(countO200k(word) + countO200k(` ${word}`));
  }, 60_000);

  test("byte-order marks: the vocabulary's tokens, where gpt-tokenizer (which strips them as it decodes its table) splits them", () => {
    // o200k_base.tiktoken: 77u/ (EF BB BF) is rank 5574, 77u/dXNpbmc= ("\ufeffusing") 9251, 77u/77u/ 135153 — as tiktoken encodes them.
    expect(encodeO200k("\ufeff")).toEqual([5574]);
    expect(encodeO200k("\ufeffusing")).toEqual([9251]);
    expect(encodeO200k("\ufeff\ufeff")).toEqual([135153]);
    expect(reference("\ufeff")).toEqual([5416, 123]);
    expect(decodeO200k([9251])).toBe("\ufeffusing");
  });

  test("decoding gives the text back, as gpt-tokenizer does", () => {
    for (const text of SCRIPTS.filter((s) => !/[\ud800-\udfff](?![\udc00-\udfff])/.test(s))) {
      expect(decodeO200k(encodeO200k(text))).toBe(text);
      expect(decodeO200k(encodeO200k(text))).toBe(referenceDecode(reference(text)));
    }
    expect(() => decodeO200k([-1])).toThrow(RangeError);
    expect(() => decodeO200k([10_000_000])).toThrow(RangeError);
  });

  test("a clip inside a multi-byte character drops the broken character", () => {
    expect(clipToTokens("\ufeffusing namespace std;", 1)).toBe("\ufeffusing");
    const text = "😀".repeat(50);
    for (let n = 0; n < 20; n++) {
      const clipped = clipToTokens(text, n);
      expect(text.startsWith(clipped)).toBe(true);
      expect(clipped).not.toContain("\ufffd");
      expect(countO200k(clipped)).toBeLessThanOrEqual(n);
    }
  });

  test("the vocabulary file is read strictly", () => {
    const file = (text: string) => new TextEncoder().encode(text);
    expect(parseTiktoken(file("IQ== 0\nIg== 1\n"))).toEqual({ bytes: new Uint8Array([0x21, 0x22]), starts: Uint32Array.from([0, 1, 2]) });
    expect(() => parseTiktoken(file("IQ== 0\nIg== 2\n"))).toThrow(/rank 2 where 1/);
    expect(() => parseTiktoken(file("I!== 0\n"))).toThrow(/not base64/);
  });
});
