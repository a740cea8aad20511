import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { createRedactor } from "../../../src/redact/index.js";
import { memorySnapshot } from "../../../src/repo/memory-snapshot.js";
import { redactedSnapshot } from "../../../src/repo/redacted-snapshot.js";
import { FAKE } from "../../fixtures/redact/fake-keys.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/redact/", import.meta.url));
const leaky = readFileSync(`${FIXTURES}leaky-config.js`, "utf8");
const values = JSON.parse(readFileSync(`${FIXTURES}leaky-config.values.json`, "utf8")) as Record<string, string>;

const files = {
  "deploy/config.js": leaky,
  "src/payments.ts": `export const stripe = "${FAKE.stripeLive}";\nexport const slack = "${FAKE.slackBot}";\n`,
  ".env.production": `DATABASE_URL=postgres://app:Hunter2-Pa55w0rd@db.internal:5432/app\nNODE_ENV=production\n`,
  // Not a secret by shape: only known because another file revealed it.
  "notes/rotation.md": `The old key was ${values["secretAccessKey"]} until March.\n`,
  [`keys/${FAKE.github}.txt`]: "named after a token\n",
  "src/clean.ts": "export const answer = 42;\n",
};

describe("redactedSnapshot", () => {
  test("file contents come back without their keys and tokens, line counts kept", async () => {
    const repo = redactedSnapshot(memorySnapshot(files), createRedactor());
    const config = await repo.read("deploy/config.js");
    for (const value of Object.values(values)) expect(config).not.toContain(value);
    expect(config).toContain("[REDACTED:aws-access-key]");
    expect(config?.split("\n")).toHaveLength(leaky.split("\n").length);

    const payments = await repo.read("src/payments.ts");
    expect(payments).not.toContain(FAKE.stripeLive);
    expect(payments).not.toContain(FAKE.slackBot);

    const env = await repo.read(".env.production");
    expect(env).not.toContain("Hunter2-Pa55w0rd");
    expect(await repo.read("src/clean.ts")).toBe("export const answer = 42;\n");
  });

  test("a secret found in one file is hidden in every later text of the job", async () => {
    const redactor = createRedactor();
    const repo = redactedSnapshot(memorySnapshot(files), redactor);
    await repo.read("deploy/config.js");
    expect(await repo.read("notes/rotation.md")).not.toContain(values["secretAccessKey"]);
    expect(redactor.redactLine(`aws s3 ls --secret ${values["secretAccessKey"]}`)).not.toContain(values["secretAccessKey"]);
  });

  test("paths with a token in them are listed redacted, and the listed path reads the file", async () => {
    const repo = redactedSnapshot(memorySnapshot(files), createRedactor());
    const { paths } = await repo.paths();
    expect(paths.join("\n")).not.toContain(FAKE.github);
    const listed = paths.find((p) => p.startsWith("keys/"));
    expect(listed).toMatch(/REDACTED/);
    expect(await repo.read(listed ?? "")).toBe("named after a token\n");
  });

  test("reads are cached and null passes through; stats are the wrapped snapshot's", async () => {
    const inner = memorySnapshot(files);
    const repo = redactedSnapshot(inner, createRedactor());
    await repo.read("src/clean.ts");
    await repo.read("src/clean.ts");
    expect(await repo.read("missing.ts")).toBeNull();
    expect(repo.stats()).toEqual(inner.stats());
    expect(repo.stats().filesRead).toBe(1);
    expect(repo.commit).toBe(inner.commit);
  });
});
