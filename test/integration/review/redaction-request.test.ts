import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createReviewer } from "../../../src/agent/index.js";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { loadEnv } from "../../../src/config/env.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { parseFilePatch } from "../../../src/diff/parse-unified-diff.js";
import { runReview } from "../../../src/review/run-review.js";
import { silentLog } from "../../helpers/github.js";
import { responsesReply } from "../../helpers/openai.js";

/**
 * The model never sees a secret: the real pipeline with the real openai SDK,
 * and the HTTP body it sends (captured by nock) checked for every secret value
 * of a fixture holding an AWS key pair, a private key block and a GitHub token.
 */

const fixture = new URL("../../fixtures/redact/leaky-config.js", import.meta.url);

afterEach(() => nock.cleanAll());

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
      reviewer: createReviewer(env, silentLog),
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
});
