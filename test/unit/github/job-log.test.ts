import { describe, expect, test } from "@jest/globals";
import { ByteTail, cleanJobLog, cleanJobLogText } from "../../../src/github/job-log.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("ByteTail", () => {
  test("keeps the last bytes of a stream, counting all of them", () => {
    const tail = new ByteTail(10);
    for (const chunk of ["abcdef", "ghijkl", "mnop", "qrstuvwxyz0123"]) tail.push(bytes(chunk));
    expect(new TextDecoder().decode(tail.bytes())).toBe("wxyz0123".padStart(10, "uv"));
    expect(tail.total).toBe(30);
  });

  test("a short stream is kept whole", () => {
    const tail = new ByteTail(100);
    tail.push(bytes("a\n"));
    tail.push(bytes("b\n"));
    expect(new TextDecoder().decode(tail.bytes())).toBe("a\nb\n");
  });
});

describe("cleanJobLog", () => {
  test("strips the runner's timestamps and terminal colours, keeps ##[error]", () => {
    const log = [
      "\uFEFF2026-12-05T04:00:00.1230000Z ##[group]Run npm test",
      "2026-12-05T04:00:01.0000000Z \u001b[31m\u001b[1mFAIL\u001b[22m\u001b[39m test/a.test.js",
      "2026-12-05T04:00:02.0000000Z ##[error]Process completed with exit code 1.",
      "",
    ].join("\r\n");
    expect(cleanJobLogText(log)).toEqual({
      text: ["##[group]Run npm test", "FAIL test/a.test.js", "##[error]Process completed with exit code 1."].join("\n"),
      bytes: bytes(log).byteLength,
      truncated: false,
    });
  });

  test("redacts token shapes", () => {
    const token = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2";
    const { text } = cleanJobLogText(`2026-12-05T04:00:00Z echo ${token}\n`);
    expect(text).not.toContain(token);
    expect(text).toMatch(/^echo \[REDACTED:/);
  });

  test("a tail that starts inside a line (or a character) drops that line", () => {
    const log = "é".repeat(50) + "\nsecond line\nlast line\n";
    const all = bytes(log);
    const cleaned = cleanJobLog(all.subarray(all.byteLength - 40), all.byteLength);
    expect(cleaned).toEqual({ text: "second line\nlast line", bytes: all.byteLength, truncated: true });
  });

  test("a long log keeps at most the limit, ending with its last line", () => {
    const log = Array.from({ length: 10_000 }, (_, i) => `2026-12-05T04:00:00.0000000Z line ${i}`).join("\n");
    const cleaned = cleanJobLogText(log, 4096);
    expect(cleaned.truncated).toBe(true);
    expect(bytes(cleaned.text).byteLength).toBeLessThanOrEqual(4096);
    expect(cleaned.text.split("\n").at(-1)).toBe("line 9999");
    expect(cleaned.text.split("\n")[0]).toMatch(/^line \d+$/);
  });
});
