import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { responsesReply } from "../../helpers/openai.js";
import { FAKE, FIXTURE_PASSWORD } from "../../fixtures/redact/fake-keys.js";
import type { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { BRANCH, HEAD, OWNER, REPO, addComments, appWith, longviewComment, reviewReplyEvent, shop } from "./github-mock.js";

/**
 * `/agent fix` with a model: a scripted Responses API (nock) whose answers
 * the validation loop accepts or sends back, through real Probot; GitHub
 * in memory (FakeGitHubHost).
 */

const users = [
  "export async function findUser(db, name) {",
  "  const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`);",
  "  return rows[0];",
  "}",
  "",
].join("\n");
const FINDING_ID = 601;
const sqlFinding = longviewComment(FINDING_ID, {
  path: "src/users.js",
  line: 2,
  severity: "P1",
  category: "security",
  title: "SQL query built from run-time values is passed to `.query()`",
  body: "Values spliced into SQL text can change the query (SQL injection).",
  source: "longview-rules",
  ruleId: "longview/sql-injection",
});
const sqlLine = "  const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`);";
const brokenEdit = { path: "src/users.js", search: sqlLine, replace: '  const rows = await db.query("SELECT * FROM users WHERE name = $1", [name];' };
const goodEdit = { path: "src/users.js", search: sqlLine, replace: '  const rows = await db.query("SELECT * FROM users WHERE name = $1", [name]);' };

interface ResponsesBody {
  model: string;
  instructions: string;
  input: { role: string; content: string }[];
  text: { format: { type: string; name: string; strict: boolean } };
  store: boolean;
}

/**
 * The Responses API answering the fix model's requests with `answers` in order, recording each body. The proof
 * around an edit set that passes validation answers too: the judge with `judge` (accept by default), the review
 * of the fix's diff with no findings. `judged` records what the judge was sent.
 */
function scriptedModel(answers: unknown[], judge: { verdict: "accept" | "reject"; reason: string } = ACCEPT): ResponsesBody[] & { judged: ResponsesBody[] } {
  const bodies = Object.assign([] as ResponsesBody[], { judged: [] as ResponsesBody[] });
  const formatIs = (name: string) => (body: ResponsesBody) => body.text?.format?.name === name;
  const record = (_req: unknown, _interceptor: unknown, text: string) => {
    const body = JSON.parse(text) as ResponsesBody;
    if (formatIs("longview_fix")(body)) bodies.push(body);
    if (formatIs("longview_fix_judgement")(body)) bodies.judged.push(body);
  };
  const scope = nock("https://api.openai.com").on("request", record);
  for (const answer of answers) scope.post("/v1/responses", formatIs("longview_fix")).reply(200, responsesReply(JSON.stringify(answer)));
  // A scope of its own: `persist()` applies to every interceptor of a scope, and the fix answers are used once each.
  // Optional: a fix that never passes validation is never judged nor reviewed.
  const proof = nock("https://api.openai.com").persist().on("request", record);
  proof
    .post("/v1/responses", formatIs("longview_fix_judgement"))
    .optionally()
    .reply(200, responsesReply(JSON.stringify(judge)));
  proof
    .post("/v1/responses", formatIs("longview_review"))
    .optionally()
    .reply(200, responsesReply(JSON.stringify({ findings: [], notes: [] })));
  return bodies;
}

const ACCEPT = { verdict: "accept", reason: "The query now passes name as a parameter; nothing else changes." } as const;

/** `src/users.js` (or `text`) at the head, the thread's first comment, alice may write. */
function world(options: { text?: string; root?: object; config?: string } = {}): FakeGitHubHost {
  const { fake } = shop({
    files: { "src/users.js": options.text ?? users },
    access: { alice: "write" },
    ...(options.config !== undefined ? { config: options.config } : {}),
  });
  addComments(fake, [options.root ?? sqlFinding]);
  return fake;
}

const shopRepo = { owner: OWNER, repo: REPO };
const replies = (fake: FakeGitHubHost) => fake.answers.map((a) => a.body);

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

describe("/agent fix with a model", () => {
  test("the first edit breaks the syntax, the error goes back, the second edit is committed", async () => {
    const fake = world();
    const requests = scriptedModel([
      { summary: "Pass name as a query parameter.", edits: [brokenEdit] },
      { summary: "Pass `name` as a query parameter instead of splicing it into the SQL text.", edits: [goodEdit] },
    ]);

    const { receive, queue } = await appWith({ model: true, github: fake });
    const event = reviewReplyEvent("/agent fix use a query parameter", FINDING_ID);
    await receive({ id: "delivery-model-1", ...event, payload: event.payload as never });

    expect(requests).toHaveLength(2);
    const [first, second] = [...requests] as [ResponsesBody, ResponsesBody];
    expect(first.text.format).toMatchObject({ type: "json_schema", name: "longview_fix", strict: true });
    expect(first.store).toBe(false);
    expect(first.instructions).toContain("You are Longview, fixing problems found in the code review of a pull request.");
    const prompt = first.input[0]!.content;
    const nonce = /block with id "([0-9a-f]+)"/.exec(prompt)?.[1];
    expect(nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(prompt).toContain(`<untrusted_fix_content id="${nonce}">`);
    expect(prompt).toContain("## 1. P1 security: SQL query built from run-time values is passed to `.query()`");
    expect(prompt).toContain("In `src/users.js`, line 2 (reported by longview-rules rule longview/sql-injection).");
    expect(prompt).toContain(`## src/users.js\n\`\`\`\n${users.trimEnd()}\n\`\`\``);
    expect(prompt).toContain("# Request from the person who asked for the fix\n```\nuse a query parameter\n```");

    // The second request is the conversation so far: the first answer and why it was rejected.
    expect(second.input.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(JSON.parse(second.input[1]!.content)).toEqual({ summary: "Pass name as a query parameter.", edits: [brokenEdit] });
    expect(second.input[2]!.content).toContain("Your edits were not applied: they failed validation.");
    expect(second.input[2]!.content).toContain("- `src/users.js` no longer parses after the edits (TypeScript): line 2: ')' expected.");
    expect(second.input[2]!.content).toContain("2 attempts are left.");

    const [commit] = fake.commits;
    expect(fake.commits.map((c) => c.files)).toEqual([new Map([["src/users.js", users.replace(sqlLine, goodEdit.replace)]])]);
    expect(fake.commits.map((c) => ({ message: c.message, parent: c.parent }))).toEqual([
      {
        message: [
          "Fix P1 security: SQL query built from run-time values is passed to `.qu…",
          "- P1 security: SQL query built from run-time values is passed to `.query()` (src/users.js:2)",
          "Pass `name` as a query parameter instead of splicing it into the SQL text.",
          "Requested by @alice in https://github.com/octo/shop/pull/7#discussion_r900 (Longview /agent fix).",
          "Longview-Fix: https://github.com/octo/shop/pull/7#discussion_r900",
        ].join("\n\n"),
        parent: HEAD,
      },
    ]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(commit!.sha);
    const reply = replies(fake)[0]!;
    expect(reply).toContain("fixing 1 finding:");
    expect(reply).toContain("> Pass `name` as a query parameter instead of splicing it into the SQL text.");
    // Two fix proposals, the judge and the review of the fix's diff (one window).
    expect(reply).toContain("Proposed by `gpt-5.1-codex-max` in 2 attempts (6,000 tokens).");
    expect(reply).toContain(
      "Checked: `src/users.js` parses (TypeScript); the analyzers no longer report the finding; no new P0/P1 findings; a model judge read the diff against the findings and accepted it (“The query now passes name as a parameter; nothing else changes”); the review pipeline (analyzers and the model reviewer, its findings verified) reviewed the fix's diff: the finding is not reported again and nothing new reaches the gate.",
    );
    expect(requests.judged).toHaveLength(1);
    expect(requests.judged[0]!.input[0]!.content).toContain("-  const rows = await db.query(`SELECT * FROM users WHERE name = '${name}'`);");
    expect(queue.jobs).toMatchObject([{ headSha: commit!.sha, previousSha: HEAD, trigger: "agent.fix" }]);
  });

  test("edits to a workflow file are refused on every attempt; nothing is written", async () => {
    const fake = world({ config: "fix:\n  maxAttempts: 2\n" });
    const workflowEdit = { path: ".github/workflows/ci.yml", search: "run: npm test", replace: "run: npm test || true" };
    const requests = scriptedModel([
      { summary: "Relax CI.", edits: [workflowEdit] },
      { summary: "Relax CI, again.", edits: [workflowEdit, goodEdit] },
    ]);

    const { receive, queue } = await appWith({ model: true, github: fake });
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-model-2", ...event, payload: event.payload as never });

    expect(requests).toHaveLength(2);
    expect(requests[1]!.input.at(-1)!.content).toContain("This is the last attempt.");
    expect(fake.commits).toEqual([]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(HEAD);
    expect(queue.jobs).toEqual([]);
    const reply = replies(fake)[0]!;
    expect(reply).toContain("@alice Longview could not produce a fix that passes validation in 2 attempts; nothing was committed.");
    expect(reply).toContain(
      "- Attempt 1: `.github/workflows/ci.yml`: Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`).",
    );
    expect(reply).toContain(
      "- Attempt 2: `.github/workflows/ci.yml`: Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`).",
    );
  });

  test("a redacted secret never reaches the model, and a placeholder is never written back", async () => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    const withSecret = `const TOKEN = "${token}";\n${users}`;
    const fake = world({ text: withSecret, root: { ...sqlFinding, line: 3 }, config: "fix:\n  maxAttempts: 1\n" });
    const requests = scriptedModel([
      {
        summary: "Use a parameter.",
        edits: [{ path: "src/users.js", search: 'const TOKEN = "[REDACTED:github-token]";', replace: 'const TOKEN = "[REDACTED:github-token]"; // moved' }],
      },
    ]);

    const { receive } = await appWith({ model: true, github: fake });
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-model-3", ...event, payload: event.payload as never });

    expect(nock.pendingMocks()).toEqual([]);
    expect(JSON.stringify(requests)).not.toContain(token);
    expect(requests[0]!.input[0]!.content).toMatch(/const TOKEN = "\[REDACTED:[a-z-]+\]";/);
    expect(fake.commits).toEqual([]);
    expect(fake.fileAt(shopRepo, BRANCH, "src/users.js")).toBe(withSecret);
    expect(replies(fake)[0]).toContain("placeholder");
  });

  test("live keys, an analyzer-flagged password and a connection-string password never reach the fix model; the fix keeps the real values", async () => {
    const config = [
      `const stripe = new Stripe("${FAKE.stripeLive}");`,
      `const slack = { token: "${FAKE.slackBot}", channel: "#ops" };`,
      `const db = { password: "${FIXTURE_PASSWORD}", url: "postgres://user:pass@host/db", pool: 5 };`,
      "",
    ].join("\n");
    const withSecrets = `${config}${users}`;
    const fake = world({ text: withSecrets, root: { ...sqlFinding, line: 5 } });
    const requests = scriptedModel([{ summary: "Pass `name` as a query parameter.", edits: [goodEdit] }]);

    const { receive } = await appWith({ model: true, github: fake });
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-model-secrets", ...event, payload: event.payload as never });

    expect(nock.pendingMocks()).toEqual([]);
    const sent = JSON.stringify(requests);
    for (const secret of [FAKE.stripeLive, FAKE.slackBot, FIXTURE_PASSWORD, "user:pass@"]) expect(sent).not.toContain(secret);
    const prompt = requests[0]!.input[0]!.content;
    expect(prompt).toContain('const stripe = new Stripe("[REDACTED:stripe-secret-key]");');
    expect(prompt).toContain('const slack = { token: "[REDACTED:slack-token]", channel: "#ops" };');
    expect(prompt).toContain('const db = { password: "[REDACTED:credential]", url: "postgres://user:[REDACTED:url-password]@host/db", pool: 5 };');
    // The edit is applied to the real file: the committed content still holds the original values, no placeholder.
    expect(fake.commits.map((c) => c.files)).toEqual([new Map([["src/users.js", withSecrets.replace(sqlLine, goodEdit.replace)]])]);
    expect(fake.fileAt(shopRepo, BRANCH, "src/users.js")).toBe(withSecrets.replace(sqlLine, goodEdit.replace));
  });

  test("a person's line comment starting with /agent fix: the model does what the comment asks, in that file", async () => {
    const comment = {
      id: 900,
      body: "/agent fix return null when no user matches",
      user: { login: "alice", type: "User" },
      path: "src/users.js",
      line: 3,
      side: "RIGHT",
      subject_type: "line",
      html_url: "https://github.com/octo/shop/pull/7#discussion_r900",
    };
    // Not a reply: the thread's first comment is the command itself.
    const fake = world({ root: comment });
    const requests = scriptedModel([
      { summary: "Return null when no row matches.", edits: [{ path: "src/users.js", search: "  return rows[0];", replace: "  return rows[0] ?? null;" }] },
    ]);

    const { receive } = await appWith({ model: true, github: fake });
    const event = reviewReplyEvent("/agent fix return null when no user matches", 900);
    const { in_reply_to_id: _reply, ...topLevel } = event.payload.comment;
    await receive({ id: "delivery-model-4", ...event, payload: { ...event.payload, comment: { ...topLevel, path: "src/users.js" } } as never });

    expect(nock.pendingMocks()).toEqual([]);
    const prompt = requests[0]!.input[0]!.content;
    expect(prompt).toContain("# Reviewer's comment to act on\nBy @alice on `src/users.js` line 3:\n```\n/agent fix return null when no user matches\n```");
    expect(prompt).not.toContain("# Findings to fix");
    const [commit] = fake.commits;
    expect(fake.commits.map((c) => c.files)).toEqual([new Map([["src/users.js", users.replace("return rows[0];", "return rows[0] ?? null;")]])]);
    expect(commit!.message).toMatch(/^Apply requested fix\n\nReturn null when no row matches\.\n\nRequested by @alice/);
    expect(fake.answers.map((a) => a.where)).toEqual([{ thread: 900 }]);
    expect(replies(fake)[0]).toMatch(new RegExp(`^@alice Committed \\[\`${commit!.sha.slice(0, 7)}\`\\]\\([^)]+\\)\\.\n`));
  });
});
