import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Hunk } from "../../../src/domain/change-set.js";
import { createRedactor, findSecretRanges, redact } from "../../../src/redact/index.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/redact/", import.meta.url));
const leaky = readFileSync(`${FIXTURES}leaky-config.js`, "utf8");
const values = JSON.parse(readFileSync(`${FIXTURES}leaky-config.values.json`, "utf8")) as Record<string, string>;
const pemBody = leaky.slice(
  leaky.indexOf("-----BEGIN RSA PRIVATE KEY-----"),
  leaky.indexOf("-----END RSA PRIVATE KEY-----") + "-----END RSA PRIVATE KEY-----".length,
);
const pemLines = pemBody.split("\n").slice(1, -1);

function expectNoSecret(text: string): void {
  for (const value of Object.values(values)) expect(text).not.toContain(value);
  for (const line of pemLines) expect(text).not.toContain(line);
}

describe("createRedactor on a file with an AWS key pair, an RSA private key and a GitHub token", () => {
  test("redactFile leaves none of the values in the content", async () => {
    const redactor = createRedactor();
    const redacted = await redactor.redactFile("deploy/config.js", leaky);
    expectNoSecret(redacted);
    expect(redacted).toContain('accessKeyId: "[REDACTED:aws-access-key]"');
    expect(redacted).toContain('secretAccessKey: "[REDACTED:aws-secret-access-key]"');
    expect(redacted).toContain('const octokitAuth = "[REDACTED:github-token]"');
    // The key's body lines are replaced one by one: BEGIN/END lines, the template literal and the line count stay.
    expect(redacted).toContain(
      `deployKey = \`-----BEGIN RSA PRIVATE KEY-----\n${pemLines.map(() => "[REDACTED:private-key]").join("\n")}\n-----END RSA PRIVATE KEY-----\`;`,
    );
    expect(redacted.split("\n")).toHaveLength(leaky.split("\n").length);
    // Everything that is not a secret survives.
    expect(redacted).toContain('region: "eu-west-1"');
    expect(redacted).toContain("export { s3, AWS_SECRET_ACCESS_KEY, octokitAuth };");
  });

  test("remembered values are redacted in any later text, line by line, and the line count is kept", async () => {
    const redactor = createRedactor();
    await redactor.redactFile("deploy/config.js", leaky);
    expect(redactor.knownSecrets).toBeGreaterThanOrEqual(3 + pemLines.length);
    const lines = leaky.split("\n");
    const redactedLines = lines.map((line) => redactor.redactLine(line));
    expect(redactedLines).toHaveLength(lines.length);
    expectNoSecret(redactedLines.join("\n"));
    // A secret quoted elsewhere (e.g. in the PR description) is caught by value.
    expect(redactor.redactLine(`rotate ${values["secretAccessKey"]} today`)).toBe("rotate [REDACTED:aws-secret-access-key] today");
  });

  test("a fresh redactor still catches the three in hunk lines without seeing the file (deleted lines)", () => {
    const redactor = createRedactor();
    const lines = leaky.split("\n");
    const hunk: Hunk = {
      index: 0,
      header: `@@ -1,${lines.length} +0,0 @@ const octokitAuth = "${values["githubToken"]}"`,
      oldStart: 1,
      oldLines: lines.length,
      newStart: 0,
      newLines: 0,
      lines: lines.map((text, i) => ({ kind: "del", oldLine: i + 1, newLine: null, text })),
    };
    const redacted = redactor.redactHunk("deploy/config.js", hunk);
    expect(redacted.lines).toHaveLength(hunk.lines.length);
    expectNoSecret([redacted.header, ...redacted.lines.map((l) => l.text)].join("\n"));
    expect(redacted.lines.map((l) => l.kind)).toEqual(hunk.lines.map((l) => l.kind));
    const untouched = redacted.lines.find((l) => l.text.includes("S3Client({"));
    expect(untouched?.text).toBe("const s3 = new S3Client({");
  });

  test("redactLines spreads a multi-line key over the lines it covers", () => {
    const redactor = createRedactor();
    const out = redactor.redactLines(["before", ...pemBody.split("\n"), "after"]);
    expect(out).toEqual([
      "before",
      "-----BEGIN RSA PRIVATE KEY-----",
      ...pemLines.map(() => "[REDACTED:private-key]"),
      "-----END RSA PRIVATE KEY-----",
      "after",
    ]);
  });
});

describe("findSecretRanges", () => {
  test("redacts every value of a .env file, keeping names, quotes and comments", async () => {
    const env =
      "# local settings\nNODE_ENV=production\nexport DATABASE_URL=postgres://app:hunter2@db:5432/app\nEMPTY=\nAPI_KEY = 'abc123'\n" +
      'QUOTED="a \\"quoted\\" value" # the comment\nPLAIN=value # a comment\n';
    const out = redact(env, await findSecretRanges("config/.env.local", env));
    expect(out).toBe(
      "# local settings\nNODE_ENV=[REDACTED:env-value]\nexport DATABASE_URL=[REDACTED:env-value]\nEMPTY=\nAPI_KEY = '[REDACTED:env-value]'\n" +
        'QUOTED="[REDACTED:env-value]" # the comment\nPLAIN=[REDACTED:env-value] # a comment\n',
    );
  });

  test("treats *.env and .env.* as env files but not environment.ts", async () => {
    const line = "TOKEN=plainvalue\n";
    expect(await findSecretRanges("deploy/prod.env", line)).toHaveLength(1);
    expect(await findSecretRanges(".env.production", line)).toHaveLength(1);
    expect(await findSecretRanges("src/environment.ts", line)).toHaveLength(0);
  });

  test("finds token shapes secretlint skips, and ignores secretlint-disable comments", async () => {
    const text = [
      "const a = 'AKIAIOSFODNN7EXAMPLE'; // secretlint-disable-line",
      "const b = 'xoxb-2048-4096-abcdefABCDEF123456';",
      "const c = 'sk-proj-4f9Kx2Lq8Zr1Tn7Vb3Hc6Md0Yw5Pe9Ja';",
      "const d = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV';",
      "const e = 'sk-primary-button-large-with-icon';",
    ].join("\n");
    const out = redact(text, await findSecretRanges("src/a.ts", text));
    expect(out).toBe(
      [
        "const a = '[REDACTED:aws-access-key]'; // secretlint-disable-line",
        "const b = '[REDACTED:slack-token]';",
        "const c = '[REDACTED:openai-api-key]';",
        "const d = '[REDACTED:github-token]';",
        "const e = 'sk-primary-button-large-with-icon';",
      ].join("\n"),
    );
  });

  test("a private-key block cut off by the end of the text is redacted to the end", async () => {
    const text = "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAMwAAAAtzc2gtZW";
    expect(redact(text, await findSecretRanges("notes.txt", text))).toBe(
      "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:private-key]\n[REDACTED:private-key]",
    );
  });
});

describe("redact", () => {
  test("merges overlapping and unsorted ranges and clips to the text", () => {
    const text = "0123456789";
    expect(
      redact(text, [
        { start: 6, end: 20, kind: "b" },
        { start: 1, end: 3, kind: "a" },
        { start: 2, end: 4, kind: "c" },
      ]),
    ).toBe("0[REDACTED:a]45[REDACTED:b]");
    expect(redact(text, [])).toBe(text);
    expect(redact(text, [{ start: 5, end: 5, kind: "empty" }])).toBe(text);
  });
});
