import { describe, expect, test } from "@jest/globals";
import { createDefaultAnalyzers, runAnalyzers } from "../../../src/analyzers/index.js";
import { createRedactor } from "../../../src/redact/index.js";
import { redactChangeSet } from "../../../src/review/redact-change-set.js";
import { captureLog } from "../analyzers/helpers.js";
import { changeSetOf } from "../context/helpers.js";

/**
 * Credentials the analyzers flag (a `password: "…"` literal) reach neither
 * the head content, nor the diff, nor any later text the model gets, though
 * no token shape matches them.
 */

const base = ["export const db = {", '  host: "db.internal",', "};", ""].join("\n");
const head = [
  "export const db = {",
  '  host: "db.internal",',
  '  password: "hunter22x",',
  '  pin: "s3cr3t",',
  "};",
  'export const apiToken = "s3cr3t";',
  "",
].join("\n");

async function flaggedView() {
  const changeSet = changeSetOf([{ path: "src/db.ts", base, head }]);
  const analyzed = await runAnalyzers(
    createDefaultAnalyzers(),
    { files: changeSet.files, headContents: changeSet.headContents, lineMap: changeSet.lineMap, filter: "added" },
    captureLog().log,
  );
  const redactor = createRedactor();
  const view = await redactChangeSet(changeSet, redactor, analyzed.secrets);
  return { view, redactor, analyzed };
}

describe("flagged credentials", () => {
  test("the analyzers flag the literals; without the hand-over the redactor alone finds neither", async () => {
    const { analyzed } = await flaggedView();
    expect(analyzed.secrets.map((s) => head.slice(s.start, s.end))).toEqual(["hunter22x", "s3cr3t"]);
    const alone = await redactChangeSet(changeSetOf([{ path: "src/db.ts", base, head }]));
    expect(alone.headContents.get("src/db.ts")).toContain("hunter22x");
  });

  test("are replaced in the head content and in the diff, inside their quotes", async () => {
    const { view } = await flaggedView();
    const content = view.headContents.get("src/db.ts") ?? "";
    expect(content).toContain('  password: "[REDACTED:credential]",');
    expect(content).toContain('export const apiToken = "[REDACTED:credential]";');
    // `pin` is not a credential name, but its value is the flagged token's: hidden as the same credential.
    expect(content).toContain('  pin: "[REDACTED:credential]",');
    const diff = view.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text))).join("\n");
    expect(diff).toContain('  password: "[REDACTED:credential]",');
    expect(diff).toContain('export const apiToken = "[REDACTED:credential]";');
    expect(diff).not.toContain("hunter22x");
    expect(content.split("\n")).toHaveLength(head.split("\n").length);
  });

  test("values of six characters or more are remembered for any later text (descriptions, findings)", async () => {
    const { redactor } = await flaggedView();
    expect(redactor.redactLine("the password is hunter22x now")).toBe("the password is [REDACTED:credential] now");
  });

  test("a hunk line that differs from the head line (a stale diff) gets none of that line's ranges", async () => {
    const changeSet = changeSetOf([{ path: "src/db.ts", base, head }]);
    const redactor = createRedactor();
    const start = head.indexOf("hunter22x");
    await redactor.redactFile("src/db.ts", head, [{ start, end: start + 9, kind: "credential" }]);
    const hunk = changeSet.files[0]!.hunks[0]!;
    const stale = { ...hunk, lines: hunk.lines.map((l) => (l.newLine === 3 ? { ...l, text: '  password: "x",' } : l)) };
    const texts = redactor.redactHunk("src/db.ts", stale).lines.map((l) => l.text);
    expect(texts).toContain('  password: "x",');
    expect(texts).toContain('  host: "db.internal",');
  });
});
