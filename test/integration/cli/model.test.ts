import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { OFFLINE_NOTICE } from "../../../src/review/run-review.js";
import { JsonReportContract, SarifContract } from "../../unit/cli/json-contract.js";
import { createGitFixture, LINES, type GitFixture } from "./git-fixture.js";
import { runCli } from "./run-cli.js";
import { formatOf, VERIFICATION_FORMAT } from "../../helpers/verifier.js";

/**
 * With OPENAI_API_KEY the CLI runs the model reviewer of the shared pipeline.
 * The Chat Completions API, mocked with nock, answers every window with the
 * same findings and records what it was sent.
 */

const RESPONSE_LINE = LINES.sql + 1;

const modelAnswer = {
  findings: [
    {
      path: "src/server.js",
      line: LINES.eval,
      start_line: null,
      side: "RIGHT",
      quote: "  res.send(String(eval(req.query.x)));",
      severity: "P0",
      category: "security",
      title: "Remote code execution through eval",
      body: "The query parameter is evaluated as JavaScript.",
      suggestion: null,
      confidence: 0.95,
    },
    {
      path: "src/server.js",
      line: RESPONSE_LINE,
      start_line: null,
      side: "RIGHT",
      quote: "  res.json(rows);",
      severity: "P2",
      category: "bug",
      title: "Missing 404 for unknown users",
      body: "An empty result is returned as `[]` with status 200.",
      suggestion: null,
      confidence: 0.6,
    },
  ],
  notes: [],
};

const LLM = "https://llm.cli-test.example";
const requests: string[] = [];
let repo: GitFixture;

function chatCompletion(answer: unknown = modelAnswer) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1,
    model: "test-model",
    choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(answer), refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
  };
}

beforeAll(async () => {
  repo = await createGitFixture();
  await repo.write("AGENTS.md", "# Agents\n\n## Review guidelines\n\nEvery SQL query must use placeholders.\n");
});
beforeEach(() => {
  requests.length = 0;
  // Recorded in the body matcher: with nock 15.0.0 a reply *function* never answers openai's fetch.
  // The verifier is asked about the one model finding no analyzer corroborates (F1), and confirms it.
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (body: unknown) => {
      if (formatOf(body) !== VERIFICATION_FORMAT) return false;
      requests.push(JSON.stringify(body));
      return true;
    })
    .reply(200, chatCompletion({ verdicts: [{ id: "F1", verdict: "confirmed", score: 0.9, reason: "the query concatenates input" }] }));
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (body: unknown) => {
      requests.push(JSON.stringify(body));
      return true;
    })
    .reply(200, chatCompletion());
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  await repo.cleanup();
});

const modelEnv = () => ({
  PATH: process.env.PATH,
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: `${LLM}/v1`,
  LONGVIEW_OPENAI_API: "chat",
  LONGVIEW_MODEL: "test-model",
  LONGVIEW_OPENAI_MAX_RETRIES: "0",
  // Every request gets the window answer above; the survey and synthesis passes have their own tests.
  LONGVIEW_SURVEY: "off",
  LONGVIEW_SYNTHESIS: "off",
});

describe("longview review with a model", () => {
  test("agent findings are merged with the analyzers', placed, and gated", async () => {
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json"], { env: modelEnv() });
    expect(run.stderr).toBe("");
    const report = JsonReportContract.parse(JSON.parse(run.stdout));

    expect(report.model).toBe("test-model");
    expect(report.notices).not.toContain(OFFLINE_NOTICE);
    expect(report.stats.modelCalls).toBeGreaterThanOrEqual(1);
    expect(report.stats.inputTokens).toBe(1000 * report.stats.modelCalls);

    // The model's eval finding and the analyzer's are one finding, credited to both.
    const evalFindings = report.findings.filter((f) => f.line === LINES.eval && f.category === "security");
    expect(evalFindings).toHaveLength(1);
    expect([evalFindings[0]?.source, ...(evalFindings[0]?.corroboratedBy ?? [])]).toContain("agent");

    expect(report.findings).toContainEqual(
      expect.objectContaining({ line: RESPONSE_LINE, source: "agent", ruleId: null, category: "bug", placement: "inline", side: "RIGHT" }),
    );
    expect(report.gate.passed).toBe(false);
    expect(run.code).toBe(1);

    // The model finding no analyzer corroborates was verified before it was reported; the corroborated one needed no verification.
    expect(report.findings.find((f) => f.line === RESPONSE_LINE)?.verification).toEqual({
      status: "confirmed",
      score: 0.9,
      reason: "the query concatenates input",
    });
    expect(evalFindings[0]?.verification).toBeNull();
    expect(report.checked?.verification).toMatchObject({ enabled: true, checked: 1, confirmed: 1, modelCalls: 1 });

    // The model was given the repository's guidelines and the commit as the PR's title.
    expect(requests.length).toBe(report.stats.modelCalls);
    expect(requests[0]).toContain("Every SQL query must use placeholders.");
    expect(requests[0]).toContain("Add calculator and user lookup");
  });

  test("SARIF names the model's findings longview/<category>", async () => {
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "sarif", "--fail-on", "none"], {
      env: modelEnv(),
    });
    expect(run.code).toBe(0);
    const results = SarifContract.parse(JSON.parse(run.stdout)).runs[0]!.results;
    expect(results).toContainEqual(expect.objectContaining({ ruleId: "longview/bug", level: "warning" }));
  });

  test("a model failure is reported as a notice; analyzer findings still come through", async () => {
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json"], {
      env: { ...modelEnv(), OPENAI_BASE_URL: `${LLM}/broken/v1` },
    });
    const report = JsonReportContract.parse(JSON.parse(run.stdout));
    expect(report.notices.some((n) => n.startsWith("The model could not review window"))).toBe(true);
    expect(report.findings.some((f) => f.line === LINES.sql && f.source !== "agent")).toBe(true);
    expect(report.gate.incomplete).toBe("Incomplete: the model could not review 1 of 1 windows");
  });

  test("a clean change the model could not review does not pass: the review is incomplete", async () => {
    const run = await runCli(["review", "--base", repo.head, "--head", repo.clean, "--repo", repo.dir, "--format", "json"], {
      env: { ...modelEnv(), OPENAI_BASE_URL: `${LLM}/broken/v1` },
    });
    const report = JsonReportContract.parse(JSON.parse(run.stdout));
    expect(report.findings).toEqual([]);
    expect(report.gate).toMatchObject({ passed: false, gating: 0, incomplete: "Incomplete: the model could not review 1 of 1 windows" });
    expect(run.code).toBe(1);
  });
});
