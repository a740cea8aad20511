import { afterAll, afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { responsesReply } from "../../helpers/openai.js";
import { FakeGitHub, type Fault, type FakeFile } from "../../helpers/nock-github.js";
import { runReviewApp, TIME_SCALE } from "../../helpers/run-review-app.js";

/**
 * The fault matrix (docs/reliability.md), over nock: one pull request, one
 * injected fault per row, Longview wired as in production (retry and
 * throttling plugins, job retries, scaled waits). Every row must end in a
 * completed review or a clearly failed check run, with at most one summary
 * review: never a silent drop, never a duplicate.
 */

const source = ["export function findUser(db, name) {", "  return db.query(`SELECT * FROM users WHERE name = '${name}'`);", "}", ""].join("\n");
const FILE: FakeFile = {
  filename: "src/users.js",
  status: "added",
  patch: [
    "@@ -0,0 +1,3 @@",
    ...source
      .trimEnd()
      .split("\n")
      .map((l) => `+${l}`),
  ].join("\n"),
  content: source,
};
const secondary = (retryAfter: string) => ({
  status: 403,
  headers: { "retry-after": retryAfter },
  body: {
    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    documentation_url: "https://docs.github.com/rest",
  },
});

type Expectation = "reviewed" | "failed-check";

interface Row {
  readonly name: string;
  readonly faults?: readonly Fault[];
  readonly refuse?: (c: { path: string; line: number }) => boolean;
  readonly model?: () => void;
  readonly env?: Record<string, string>;
  readonly expect: Expectation;
  /** A sentence the review body or the check run must contain. */
  readonly says?: RegExp;
  readonly attempts?: readonly string[];
  readonly jobAttempts?: number;
  /** The model failed for the window: the check run's title must say so. */
  readonly modelFailed?: boolean;
  readonly check?: (github: FakeGitHub) => void;
}

const MODEL_ENV = { OPENAI_API_KEY: "sk-test-matrix-0123456789", LONGVIEW_OPENAI_MAX_RETRIES: "0" };
const finding = {
  path: "src/users.js",
  line: 2,
  start_line: null,
  side: "RIGHT",
  quote: "  return db.query(`SELECT * FROM users WHERE name = '${name}'`);",
  severity: "P1",
  category: "bug",
  title: "Unbounded query",
  body: "Add a LIMIT.",
  suggestion: null,
  confidence: 0.8,
};
const openai = () => nock("https://api.openai.com").post("/v1/responses");

const rows: Row[] = [
  // GitHub
  {
    name: "GitHub 500 once on GET pull request (retry plugin)",
    faults: [{ method: "GET", path: /\/pulls\/2$/, status: 500 }],
    expect: "reviewed",
    attempts: ["reviewed"],
  },
  {
    name: "GitHub 502 ×2 on the file list (retry plugin)",
    faults: [{ method: "GET", path: /\/pulls\/2\/files/, status: 502, times: 2 }],
    expect: "reviewed",
    attempts: ["reviewed"],
  },
  {
    name: "GitHub 503 on every GET pull request (GitHub down)",
    faults: [{ method: "GET", path: /\/pulls\/2$/, status: 503, times: 100 }],
    expect: "failed-check",
    says: /GitHub answered 503|Simulated 503/,
    attempts: ["retrying", "retrying", "failed"],
  },
  {
    name: "GitHub 502 after the review was created (gateway error on a write)",
    faults: [{ method: "POST", path: /\/pulls\/2\/reviews$/, status: 502, afterWrite: true }],
    expect: "reviewed",
  },
  {
    name: "403 secondary rate limit with retry-after on POST review (throttle)",
    faults: [{ method: "POST", path: /\/pulls\/2\/reviews$/, ...secondary("1") }],
    expect: "reviewed",
    attempts: ["reviewed"],
  },
  {
    name: "403 secondary rate limit ×5 on create check run (throttle gives up, job retried)",
    faults: [{ method: "POST", path: /\/check-runs$/, ...secondary("1"), times: 5 }],
    expect: "reviewed",
    attempts: ["retrying", "reviewed"],
  },
  // With attempts left the job waits for the hour GitHub asked for (the check run stays in progress meanwhile); on the last attempt it fails visibly.
  {
    name: "403 secondary rate limit, retry-after over the maximum, last attempt",
    jobAttempts: 1,
    faults: [{ method: "GET", path: /\/pulls\/2\/files/, ...secondary("3600"), times: 100 }],
    expect: "failed-check",
    says: /secondary rate limit/,
    attempts: ["failed"],
  },
  {
    name: "429 on the file list",
    faults: [{ method: "GET", path: /\/pulls\/2\/files/, status: 429, headers: { "retry-after": "1" } }],
    expect: "reviewed",
    attempts: ["reviewed"],
  },
  {
    name: "404: pull request deleted before the review",
    faults: [{ method: "GET", path: /\/pulls\/2$/, status: 404, times: 100 }],
    expect: "failed-check",
    says: /Simulated 404/,
    attempts: ["failed"],
  },
  {
    name: "404: head blob gone mid-review (branch deleted)",
    faults: [{ method: "GET", path: /\/git\/blobs\//, status: 404, times: 100 }],
    expect: "reviewed",
    attempts: ["reviewed"],
  },
  {
    name: "404 on POST review (pull request deleted while reviewing)",
    faults: [{ method: "POST", path: /\/pulls\/2\/reviews$/, status: 404, times: 100 }],
    expect: "failed-check",
    says: /Simulated 404/,
    attempts: ["failed"],
  },
  {
    name: "422 on POST review for one comment (bisection)",
    refuse: (c) => c.line === 2,
    expect: "reviewed",
    check: (gh) => expect(gh.comments.filter((c) => c.line === null && c.body.includes("SQL query"))).toHaveLength(1),
  },
  // OpenAI
  {
    name: "OpenAI 429 once, SDK retry on",
    env: { ...MODEL_ENV, LONGVIEW_OPENAI_MAX_RETRIES: "1" },
    model: () => (
      openai().reply(429, { error: { message: "Rate limit reached" } }, { "retry-after-ms": "10" }),
      openai().reply(200, responsesReply(JSON.stringify({ findings: [finding], notes: [] })))
    ),
    expect: "reviewed",
    says: /Unbounded query/,
  },
  {
    name: "OpenAI 429 persistent",
    modelFailed: true,
    env: MODEL_ENV,
    model: () =>
      openai()
        .times(5)
        .reply(429, { error: { message: "Rate limit reached" } }),
    expect: "reviewed",
    says: /The model could not review window w1 .*HTTP 429/,
  },
  {
    name: "OpenAI 500",
    modelFailed: true,
    env: MODEL_ENV,
    model: () =>
      openai()
        .times(5)
        .reply(500, { error: { message: "The server had an error" } }),
    expect: "reviewed",
    says: /The model could not review window w1 .*HTTP 500/,
  },
  {
    name: "OpenAI truncated output (status incomplete)",
    modelFailed: true,
    env: MODEL_ENV,
    model: () =>
      openai()
        .times(2)
        .reply(200, responsesReply('{"findings": [', { status: "incomplete", incompleteReason: "max_output_tokens" })),
    expect: "reviewed",
    says: /incomplete \(max_output_tokens\); raise LONGVIEW_OUTPUT_TOKENS/,
  },
  {
    name: "OpenAI invalid JSON twice (one repair)",
    modelFailed: true,
    env: MODEL_ENV,
    model: () => openai().times(2).reply(200, responsesReply("{ not json")),
    expect: "reviewed",
    says: /unusable twice/,
  },
  {
    name: "OpenAI refusal",
    modelFailed: true,
    env: MODEL_ENV,
    model: () => openai().reply(200, responsesReply(null, { refusal: "I can't help with that." })),
    expect: "reviewed",
    says: /The model refused to review window w1: I can't help with that/,
  },
];

const observed: string[] = [];
afterEach(() => nock.cleanAll());
afterAll(() => {
  process.stdout.write(`\nfault matrix (nock):\n${observed.join("\n")}\n`);
});

describe("fault matrix (nock)", () => {
  test.each(rows.map((r) => [r.name, r] as const))(
    "%s",
    async (_name, row) => {
      const github = new FakeGitHub({ files: [FILE], faults: row.faults ?? [], ...(row.refuse ? { refuse: row.refuse } : {}) }).install();
      row.model?.();
      const run = await runReviewApp(github, { env: row.env ?? {}, ...(row.jobAttempts ? { attempts: row.jobAttempts } : {}) });

      const check = github.lastCheckRun;
      const summaries = github.posted.filter((r) => r.body.includes("### Longview review"));
      const text = [...summaries.map((r) => r.body), String(check?.output.summary ?? ""), String(check?.output.text ?? "")].join("\n");
      observed.push(
        `| ${row.name} | attempts: ${run.attempts.join(" → ")} | check: ${String(check?.status)}/${String(check?.conclusion)} "${String(check?.output.title)}" | reviews: ${summaries.length} |`,
      );

      // Never left in progress, never silent.
      expect(check?.status).toBe("completed");
      // Never more than one summary review, whatever was retried.
      expect(summaries.length).toBeLessThanOrEqual(1);
      expect(github.pending.size).toBe(0);
      expect(github.posted.every((r) => r.event === "COMMENT")).toBe(true);
      if (row.expect === "reviewed") {
        expect(summaries).toHaveLength(1);
        expect(["success", "failure"]).toContain(check?.conclusion);
      } else {
        expect(summaries).toHaveLength(0);
        expect(check).toMatchObject({ conclusion: "neutral", output: { title: "Review failed" } });
      }
      if (row.says) expect(text).toMatch(row.says);
      if (row.attempts) expect(run.attempts).toEqual(row.attempts);
      row.check?.(github);
      // A review the model could not finish is incomplete: never a success, and the title says what is missing.
      if (row.modelFailed)
        expect(check).toMatchObject({
          conclusion: "failure",
          output: { title: expect.stringMatching(/Incomplete: the model could not review 1 of 1 windows$/) },
        });
      // Scaled waits: the whole row takes well under a second of backoff.
      expect(TIME_SCALE).toBeLessThan(0.01);
    },
    30_000,
  );
});
