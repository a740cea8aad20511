import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import nock from "nock";
import { EvalResultSchema } from "../../../src/eval/result.js";
import { numberedLines, runEvalCli, tempDir, type TempDir } from "./run-eval-cli.js";

/**
 * With OPENAI_API_KEY the harness runs the model reviewer of the shared
 * pipeline and, with --judge, the LLM judge on the same client. Chat
 * Completions is mocked with nock: the review, the verification of its
 * findings and each judge question get their own scripted answer (body
 * matchers, since with nock 15.0.0 a reply function never answers openai's
 * fetch).
 */

const LLM = "https://llm.eval-test.example";
const ENV = {
  OPENAI_API_KEY: "sk-test",
  OPENAI_BASE_URL: `${LLM}/v1`,
  LONGVIEW_OPENAI_API: "chat",
  LONGVIEW_MODEL: "gpt-4o",
  LONGVIEW_OPENAI_MAX_RETRIES: "0",
  // The mock answers every request but the judge's and the verifier's as a window; the survey and synthesis passes have their own tests.
  LONGVIEW_SURVEY: "off",
  LONGVIEW_SYNTHESIS: "off",
};

const review = {
  findings: [
    {
      path: "src/app.js",
      line: 5,
      start_line: null,
      side: "RIGHT",
      quote: "// line 5",
      severity: "P1",
      category: "bug",
      title: "Counter is off by one",
      body: "…",
      suggestion: null,
      confidence: 0.9,
    },
    {
      path: "src/app.js",
      line: 12,
      start_line: null,
      side: "RIGHT",
      quote: "// line 12",
      severity: "P2",
      category: "security",
      title: "Weak hashing",
      body: "…",
      suggestion: null,
      confidence: 0.7,
    },
    {
      path: "src/app.js",
      line: 18,
      start_line: null,
      side: "RIGHT",
      quote: "// line 18",
      severity: "P2",
      category: "performance",
      title: "Quadratic loop",
      body: "…",
      suggestion: null,
      confidence: 0.7,
    },
  ],
  notes: [],
};

function completion(content: unknown, usage = { prompt_tokens: 1_000, completion_tokens: 200 }) {
  return {
    id: "chatcmpl-eval",
    object: "chat.completion",
    created: 1,
    model: "test",
    choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(content), refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

type Body = { response_format?: { json_schema?: { name?: string } }; messages?: { content?: string }[]; model?: string };
const isJudge = (body: Body) => body.response_format?.json_schema?.name === "longview_eval_judge";
const isVerify = (body: Body) => body.response_format?.json_schema?.name === "longview_verification";
/** The verifier rejects the second candidate of the batch ("Weak hashing": candidates go most severe first, then by line). */
const verdicts = {
  verdicts: [
    { id: "F1", verdict: "confirmed", score: 0.9, reason: "off by one" },
    { id: "F2", verdict: "rejected", score: 0.2, reason: "the hash is only a cache key" },
    { id: "F3", verdict: "confirmed", score: 0.8, reason: "nested loop over the same list" },
  ],
};
const asks = (body: Body, text: string) => isJudge(body) && (body.messages ?? []).some((m) => (m.content ?? "").includes(text));
const models: string[] = [];

let dataset: TempDir;
let out: TempDir;

beforeAll(async () => {
  dataset = await tempDir("longview-eval-model-");
  out = await tempDir("longview-eval-model-out-");
  await dataset.write("one/head/src/app.js", numberedLines(24));
  await dataset.write(
    "one/case.yaml",
    [
      "id: one",
      "title: Three issues",
      "description: A change with three labeled issues.",
      "language: javascript",
      "expected:",
      "  - { path: src/app.js, line_start: 5, line_end: 5, category: bug, severity: P1, description: first-issue }",
      "  - { path: src/app.js, line_start: 12, line_end: 12, category: security, severity: P1, description: second-issue }",
      "  - { path: src/app.js, line_start: 18, line_end: 18, category: performance, severity: P2, description: third-issue }",
    ].join("\n"),
  );
  const record = (body: Body) => {
    models.push(`${isJudge(body) ? "judge" : isVerify(body) ? "verify" : "review"}:${body.model}`);
    return true;
  };
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (b: Body) => !isJudge(b) && !isVerify(b) && record(b))
    .reply(200, completion(review));
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (b: Body) => isVerify(b) && record(b))
    .reply(200, completion(verdicts, { prompt_tokens: 300, completion_tokens: 30 }));
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (b: Body) => asks(b, "first-issue") && record(b))
    .reply(200, completion({ verdicts: [{ candidate: 0, same_issue: true, reason: "same off-by-one" }] }, { prompt_tokens: 500, completion_tokens: 50 }));
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (b: Body) => asks(b, "second-issue") && record(b))
    .reply(200, completion({ verdicts: [{ candidate: 0, same_issue: false, reason: "different problem" }] }, { prompt_tokens: 500, completion_tokens: 50 }));
  nock(LLM)
    .persist()
    .post("/v1/chat/completions", (b: Body) => asks(b, "third-issue") && record(b))
    .reply(400, { error: { message: "bad request", type: "invalid_request_error" } });
});

afterEach(() => {
  models.length = 0;
});

afterAll(async () => {
  nock.cleanAll();
  await dataset.remove();
  await out.remove();
});

describe("model run", () => {
  test("runs the model reviewer, prices its tokens, and writes a model report", async () => {
    const run = await runEvalCli(["--dataset", dataset.path, "--model", "gpt-5-mini", "--out", join(out.path, "model"), "-q"], ENV);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(models).toEqual(["review:gpt-5-mini", "verify:gpt-5-mini"]);
    const result = EvalResultSchema.parse(JSON.parse(await readFile(join(out.path, "model", "result.json"), "utf8")));
    expect(result).toMatchObject({ mode: "model", model: "gpt-5-mini", offlineReason: null, judgeModel: null });
    // Verification removed a true positive: recall 3/3 before, 2/3 after.
    expect(result.overall).toMatchObject({ expected: 3, matchedExpected: 2, findings: 2, precision: 1 });
    expect(result.beforeVerification?.overall).toMatchObject({ expected: 3, matchedExpected: 3, findings: 3, recall: 1, precision: 1 });
    expect(result.cases[0]?.beforeVerification?.dropped.map((i) => result.cases[0]?.beforeVerification?.findings[i]?.title)).toEqual(["Weak hashing"]);
    expect(result.cases[0]?.verification).toMatchObject({ enabled: true, checked: 3, confirmed: 2, rejected: 1, calls: 1 });
    expect(result.cases[0]?.review).toMatchObject({ modelCalls: 2, usage: { inputTokens: 1_300, outputTokens: 230 } });
    expect(result.totals.review.costUsd).toBeCloseTo((1_300 * 0.25 + 230 * 2) / 1_000_000, 12);
    expect(run.stdout).toContain("model gpt-5-mini + analyzers");
    expect(run.stdout).toContain("Tokens in/out");
    expect(run.stdout).toContain("Before → after verification: precision 100.0% (3/3) → 100.0% (2/2) (±0.0 pp), recall 100.0% (3/3) → 66.7% (2/3) (−33.3 pp)");
    // Every scripted finding quotes its line: none is dropped before verification, and the eval says so per stage.
    expect(result.cases[0]?.funnel).toMatchObject({ candidates: 3, droppedEvidence: 0, droppedScope: 0, merged: 0, droppedVerification: 1, withheld: 0 });
    expect(run.stdout).toMatch(
      /Candidate findings: 3; removed at evidence \(quote not in the reviewed code\) 0 \(0\.0%\), scope \(line outside the reviewed hunks\) 0/,
    );
    expect(run.stdout).toContain("verification (rejected, uncertain or below minScore) 1 (33.3%)");
  });

  test("--judge: yes matches, no leaves a miss and a false positive, a failed question falls back to location", async () => {
    // The judge is asked about the findings before verification (a superset of those posted), once per issue.
    const run = await runEvalCli(["--dataset", dataset.path, "--judge", "--judge-model", "gpt-5", "--out", join(out.path, "judged"), "-q"], ENV);
    expect(run.code).toBe(0);
    expect(models.sort()).toEqual(["judge:gpt-5", "judge:gpt-5", "judge:gpt-5", "review:gpt-4o", "verify:gpt-4o"]);
    const result = EvalResultSchema.parse(JSON.parse(await readFile(join(out.path, "judged", "result.json"), "utf8")));
    const c = result.cases[0];
    expect(c?.matches.map((m) => c.expected[m.expected]?.description).sort()).toEqual(["first-issue", "third-issue"]);
    expect(c?.missed.map((i) => c.expected[i]?.description)).toEqual(["second-issue"]);
    // "Weak hashing" was a false positive for the judge; the verifier removed it, so only "before" has it.
    expect(c?.beforeVerification?.falsePositives.map((i) => c.beforeVerification?.findings[i]?.title)).toEqual(["Weak hashing"]);
    expect(c?.falsePositives).toEqual([]);
    expect(c?.notices).toEqual([expect.stringContaining("The judge failed for expected issue 3")]);
    expect(result.overall.recall).toBeCloseTo(2 / 3, 10);
    expect(result.overall.precision).toBe(1);
    expect(result.beforeVerification?.overall.precision).toBeCloseTo(2 / 3, 10);
    expect(result.judgeModel).toBe("gpt-5");
    expect(result.totals.judge).toMatchObject({ modelCalls: 3, failures: 1, usage: { inputTokens: 1_000, outputTokens: 100 } });
    expect(result.totals.judge?.costUsd).toBeCloseTo((1_000 * 1.25 + 100 * 10) / 1_000_000, 12);
    expect(run.stdout).toContain("1 failed (matched by location only)");
  });

  test("--compare prints what moved against an earlier run", async () => {
    const run = await runEvalCli(
      ["--dataset", dataset.path, "--offline", "--compare", join(out.path, "model", "result.json"), "--out", join(out.path, "offline"), "-q"],
      ENV,
    );
    expect(run.code).toBe(0);
    expect(models).toEqual([]);
    expect(run.stdout).toContain("Settings changed: mode: model → offline; model: gpt-5-mini → none");
    expect(run.stdout).toMatch(/overall\s+−66\.7 pp/);
    expect(run.stdout).toContain("one: 2/1/0 → 0/3/0");
    expect(await readFile(join(out.path, "offline", "report.md"), "utf8")).toContain("## Compared with the previous run");
  });

  test("without a key the run is offline and says why; --judge then is a usage error", async () => {
    const offline = await runEvalCli(["--dataset", dataset.path, "--out", join(out.path, "nokey"), "-q"]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("offline — analyzers only (no OPENAI_API_KEY)");
    const judged = await runEvalCli(["--dataset", dataset.path, "--judge", "--out", join(out.path, "nokey2")]);
    expect(judged.code).toBe(2);
    expect(judged.stderr).toBe("eval: --judge needs OPENAI_API_KEY\n");
  });
});
