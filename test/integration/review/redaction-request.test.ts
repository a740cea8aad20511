import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { loadEnv } from "../../../src/config/env.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { parseFilePatch } from "../../../src/diff/parse-unified-diff.js";
import { runReview } from "../../../src/review/run-review.js";
import { silentLog } from "../../helpers/github.js";
import { reviewerFrom } from "../../helpers/model.js";
import { responsesReply } from "../../helpers/openai.js";
import { FAKE, liveKeysFixture } from "../../fixtures/redact/fake-keys.js";

/**
 * The model never sees a secret: the real pipeline with the real openai SDK,
 * and the HTTP body it sends (captured by nock) checked for every secret value
 * of a fixture holding an AWS key pair, a private key block and a GitHub token.
 */

const fixture = new URL("../../fixtures/redact/leaky-config.js", import.meta.url);

afterEach(() => nock.cleanAll());

/** Every string in a request body, JSON-decoded: what the model reads. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** The change set of one added file, through the real diff parser. */
function addedFileChange(path: string, content: string) {
  const lines = content.replace(/\n$/, "").split("\n");
  const file = parseFilePatch({ path, previousPath: null, status: "added", patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join("\n") });
  return buildChangeSet({ files: [file], headContents: new Map([[path, content]]) });
}

describe("secret redaction before the model", () => {
  test("the OpenAI request body holds none of the fixture's secrets, and the secrets are still reported", async () => {
    const content = await readFile(fixture, "utf8");
    const lines = content.replace(/\n$/, "").split("\n");
    const file = parseFilePatch({
      path: "deploy/config.js",
      previousPath: null,
      status: "added",
      patch: [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join("\n"),
    });
    const changeSet = buildChangeSet({ files: [file], headContents: new Map([["deploy/config.js", content]]) });

    const bodies: string[] = [];
    nock("https://api.openai.com")
      .post("/v1/responses", (body: unknown) => (bodies.push(JSON.stringify(body)), true))
      .reply(200, responsesReply(JSON.stringify({ findings: [], notes: [] })));

    const env = loadEnv({ OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" });
    const result = await runReview({
      changeSet,
      pr: { title: "Deploy config", description: "Uses key AKIAAF4FJTRS6Y6X4TTI from the vault" },
      guidelines: "",
      config: DEFAULT_REPO_CONFIG,
      budget: { windowTokens: 24_000, outputTokens: 4_000, contextTokens: 272_000 },
      reviewer: reviewerFrom(env, silentLog),
      analyzers: createDefaultAnalyzers(),
      windowConcurrency: 1,
      log: silentLog,
    });

    expect(bodies).toHaveLength(1);
    const sent = bodies[0]!;
    const secrets = [
      "AKIAAF4FJTRS6Y6X4TTI",
      "/FkUg7FPjCSosuegi2m1C1LxDHkmsZEpzQ5K9bjl",
      "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO",
      "MIICXQIBAAKBgQCxEb3mpmiZfXomCXK0LTsATAK9ICWNnO5SDhsES8dKc/Ox7X2q",
      "g2XYTPGs7LMlrMJNIrlUaz81G+g1AOkSolqXWmP9icFY",
    ];
    for (const secret of secrets) {
      expect(sent).not.toContain(secret.replace(/\//g, "\\/"));
      expect(sent).not.toContain(secret);
    }
    expect(sent).toContain("[REDACTED:");
    // The code around the secrets still reaches the model.
    expect(sent).toContain("new S3Client");

    // Analyzers saw the real content: the secrets are findings, and no finding text repeats a secret value.
    expect(result.findings.some((f) => f.source === "secretlint" && f.severity === "P0")).toBe(true);
    const posted = JSON.stringify(result.findings);
    for (const secret of secrets) expect(posted).not.toContain(secret);
  });

  test("live-key formats, an analyzer-flagged password and a connection string: none reaches the model, the code around them does", async () => {
    const { content, secrets } = liveKeysFixture();
    const bodies: unknown[] = [];
    nock("https://api.openai.com")
      .post("/v1/responses", (body: unknown) => (bodies.push(body), true))
      .reply(200, responsesReply(JSON.stringify({ findings: [], notes: [] })));

    const env = loadEnv({ OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" });
    const result = await runReview({
      changeSet: addedFileChange("src/payments/config.ts", content),
      pr: { title: `Payments config (maps key ${FAKE.googleApiKey})`, description: `Rotated Tr0ub4dor&3-prod and ${FAKE.sendgrid}.` },
      guidelines: `Our staging token ${FAKE.gitlabDeploy} is fine to mention.`,
      config: DEFAULT_REPO_CONFIG,
      budget: { windowTokens: 24_000, outputTokens: 4_000, contextTokens: 272_000 },
      reviewer: reviewerFrom(env, silentLog),
      analyzers: createDefaultAnalyzers(),
      windowConcurrency: 1,
      log: silentLog,
    });

    expect(bodies).toHaveLength(1);
    const raw = JSON.stringify(bodies[0]);
    const sent = strings(bodies[0]).join("\n");
    for (const secret of [...secrets, FAKE.gitlabDeploy]) {
      expect(sent).not.toContain(secret);
      expect(raw).not.toContain(secret);
    }
    // Each value became a placeholder inside its own string literal; quotes, commas and brackets are intact.
    for (const line of [
      'stripe: new Stripe("[REDACTED:stripe-secret-key]", { apiVersion: "2024-06-20" }),',
      'mapsKey: "[REDACTED:google-api-key]",',
      'slack: { botToken: "[REDACTED:slack-token]", channel: "#payments" },',
      'npmRegistryAuth: "[REDACTED:npm-access-token]",',
      'pypiUpload: "[REDACTED:pypi-token]",',
      'gitlab: { deployToken: "[REDACTED:gitlab-token]", project: 42 },',
      'sms: twilio("[REDACTED:twilio-credential]", "[REDACTED:twilio-credential]"),',
      'twilioApiKey: "[REDACTED:twilio-api-key]",',
      'sendgridKey: "[REDACTED:sendgrid-api-key]",',
      'password: "[REDACTED:credential]",',
      'url: "postgres://user:[REDACTED:url-password]@host/db",',
      "pool: 5,",
    ]) {
      expect(sent).toContain(line);
    }
    expect(sent).toContain("Payments config (maps key [REDACTED:google-api-key])");
    expect(sent).toContain("Rotated [REDACTED:credential] and [REDACTED:sendgrid-api-key].");
    // The model is told what the placeholders mean.
    expect(sent).toContain("[REDACTED:<kind>]");

    // The analyzers still saw the real file and report the password; no finding repeats a secret.
    expect(result.findings.some((f) => f.ruleId === "longview/hardcoded-credentials")).toBe(true);
    const posted = JSON.stringify(result.findings);
    for (const secret of secrets) expect(posted).not.toContain(secret);
  });
});
