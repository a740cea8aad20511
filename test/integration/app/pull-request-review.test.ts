import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { createApp } from "../../../src/app.js";
import type { Analyzer } from "../../../src/analyzers/analyzer.js";
import type { Reviewer } from "../../../src/reviewer/index.js";
import { loadEnv, type Env } from "../../../src/config/env.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { createReviewJobHandler } from "../../../src/queue/review-job-handler.js";
import { appDeps, GITHUB_API, installationHost, silentLog, testProbot } from "../../helpers/github.js";
import { reviewerFrom } from "../../helpers/model.js";
import { responsesReply } from "../../helpers/openai.js";

/**
 * A real `pull_request.opened` payload (from @octokit/webhooks-examples)
 * through real Probot to the exact review GitHub receives; GitHub and OpenAI
 * are mocked over HTTP by nock.
 */

const require = createRequire(import.meta.url);
interface Example {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Example[];
const opened = examples.find((e) => e.name === "pull_request")!.examples.find((e) => e.action === "opened")!;
const payload = { ...opened, installation: { id: 42 } } as unknown as Record<string, unknown> & {
  pull_request: { number: number; head: { sha: string }; base: { sha: string } };
};
const { number, head, base } = payload.pull_request;
const repoPath = "/repos/Codertocat/Hello-World";

const source = [
  "export async function findUser(db, name) {",
  "  const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`);",
  "  return rows[0];",
  "}",
  "",
].join("\n");
const patch = [
  "@@ -0,0 +1,4 @@",
  ...source
    .trimEnd()
    .split("\n")
    .map((l) => `+${l}`),
].join("\n");

interface ReviewRequestBody {
  event: string;
  commit_id: string;
  body: string;
  comments: Array<{ path: string; line: number; side: string; start_line?: number; start_side?: string; body: string }>;
}

function mockGitHub(options: { config?: string; checks?: unknown[] } = {}) {
  const captured: { review?: ReviewRequestBody; checks: unknown[] } = { checks: options.checks ?? [] };
  nock(GITHUB_API)
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .get(`${repoPath}/pulls/${number}`)
    .times(2)
    .reply(200, { ...payload.pull_request, state: "open", draft: false })
    .get(`${repoPath}/contents/.github%2Flongview.yml`)
    .reply(options.config === undefined ? 404 : 200, options.config ?? { message: "Not Found" })
    .get(/\/commits\/[0-9a-f]{40}\/check-runs/)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(`${repoPath}/check-runs`, (b: unknown) => (captured.checks.push(b), true))
    .reply(201, { id: 77 })
    // The completion only: a review done within the progress interval shows no window count.
    .patch(`${repoPath}/check-runs/77`, (b: unknown) => (captured.checks.push(b), true))
    .reply(200, { id: 77 })
    .get(`${repoPath}/pulls/${number}/files`)
    .query({ per_page: "100" })
    .reply(200, [{ sha: "blob1", filename: "src/users.js", status: "added", additions: 4, deletions: 0, changes: 4, patch }])
    .get("/app")
    .reply(200, { id: 123, slug: "longview", name: "Longview" })
    .get(`${repoPath}/pulls/${number}/reviews`)
    .query(true)
    .reply(200, [])
    .get(`${repoPath}/pulls/${number}/comments`)
    .query(true)
    .reply(200, [])
    .get(`${repoPath}/git/blobs/blob1`)
    .reply(200, { content: Buffer.from(source).toString("base64"), encoding: "base64", size: source.length })
    .get(`${repoPath}/contents/AGENTS.md`)
    .query({ ref: base.sha })
    .reply(404, { message: "Not Found" })
    .post(`${repoPath}/pulls/${number}/reviews`, (b: ReviewRequestBody) => ((captured.review = b), true))
    .reply(200, { id: 1001 });
  return captured;
}

const modelFinding = {
  path: "src/users.js",
  line: 2,
  start_line: null,
  side: "RIGHT",
  quote: "  const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`);",
  severity: "P0",
  category: "security",
  title: "SQL injection through `name`",
  body: "`name` is interpolated into the SQL text. Pass it as a parameter.",
  suggestion: '  const rows = await db.query("SELECT * FROM users WHERE name = $1", [name]);',
  confidence: 0.97,
};

/** Real Probot with Longview loaded, its review jobs run by the in-process queue; `receive` resolves once the job is done. */
async function receive(deps: { env: Env; reviewer: Reviewer | null; analyzers: readonly Analyzer[] }, id: string, payload: unknown): Promise<void> {
  const probot = testProbot();
  const queue = new InProcessQueue({ kinds: jobKinds, settings: { concurrency: 1, installationConcurrency: 1, attempts: 1, backoffMs: 10 }, log: silentLog });
  queue.startWorker({ review: createReviewJobHandler({ github: installationHost(probot), deps }) });
  await probot.load(createApp(appDeps(queue)));
  await probot.receive({ id, name: "pull_request", payload: payload as never });
  await queue.idle();
}

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

describe("pull_request.opened → one review", () => {
  test("with a model: the exact review GitHub receives, and a failing check run", async () => {
    const captured = mockGitHub();
    const openai = nock("https://api.openai.com")
      .post("/v1/responses")
      .reply(200, responsesReply(JSON.stringify({ findings: [modelFinding], notes: [] })));

    const env = loadEnv({ OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" });
    await receive({ env, reviewer: reviewerFrom(env, silentLog), analyzers: createDefaultAnalyzers() }, "delivery-1", payload);

    expect(openai.isDone()).toBe(true);
    const review = captured.review!;
    expect(review.event).toBe("COMMENT");
    expect(review.commit_id).toBe(head.sha);
    // The model's finding and the SQL-injection analyzer agree on line 2: one comment crediting both.
    expect(review.comments).toHaveLength(1);
    const [comment] = review.comments;
    expect({ path: comment!.path, line: comment!.line, side: comment!.side, start_line: comment!.start_line }).toEqual({
      path: "src/users.js",
      line: 2,
      side: "RIGHT",
      start_line: undefined,
    });
    expect(comment!.body).toContain("**P0 · security** — SQL injection through `name`");
    expect(comment!.body).toContain('```suggestion\n  const rows = await db.query("SELECT * FROM users WHERE name = $1", [name]);\n```');
    expect(comment!.body).toMatch(/Longview · agent; also reported by longview-rules `longview\/sql-injection`/);
    expect(review.body).toContain("Found 1 problem: 1 P0.");
    expect(review.body).toContain("**Coverage:** reviewed 4 of 4 changed lines (100%) in 1 of 1 files.");
    expect(review.body).toContain(`<!-- longview:review head=${head.sha} -->`);
    const completed = captured.checks.at(-1) as { conclusion: string; output: { annotations: unknown[] } };
    expect(completed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(completed.output.annotations).toHaveLength(1);
    expect(nock.isDone()).toBe(true);
  });

  test("invalid model output twice: one repair, then the review says so and still posts the analyzers' findings", async () => {
    const captured = mockGitHub();
    nock("https://api.openai.com").post("/v1/responses").times(2).reply(200, responsesReply("{ not json"));
    const env = loadEnv({ OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" });
    await receive({ env, reviewer: reviewerFrom(env, silentLog), analyzers: createDefaultAnalyzers() }, "delivery-2", payload);

    const review = captured.review!;
    expect(review.body).toMatch(/The model could not review window w1 \(`src\/users.js`\)/);
    expect(review.comments.map((c) => [c.path, c.line])).toEqual([["src/users.js", 2]]);
    expect(review.comments[0]!.body).toMatch(/Longview · longview-rules/);
  });

  test("offline with an invalid .github/longview.yml: the review explains the problem and uses defaults", async () => {
    const captured = mockGitHub({ config: "review:\n  maxInlineComments: lots\n" });
    const env = loadEnv({});
    await receive({ env, reviewer: null, analyzers: createDefaultAnalyzers() }, "delivery-3", payload);

    const review = captured.review!;
    expect(review.body).toContain("Offline mode");
    expect(review.body).toMatch(/`review\.maxInlineComments`: .*using the default for `review`/);
    expect(review.comments).toHaveLength(1);
    // AGENTS.md holds guidelines for the model: an offline review never asks for it, and makes every other call.
    expect(nock.pendingMocks()).toEqual([expect.stringContaining("/contents/AGENTS.md")]);
  });

  test("events sent by bots are ignored", async () => {
    await receive({ env: loadEnv({}), reviewer: null, analyzers: createDefaultAnalyzers() }, "delivery-4", {
      ...payload,
      sender: { login: "longview[bot]", type: "Bot" },
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
