import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedModelOutput } from "./fake-openai.js";

/**
 * The verification pass end to end: the real server process, the GitHub
 * simulator, and a scripted model whose window reviewer reports findings and
 * whose verifier judges them. What GitHub ends up holding is asserted: what
 * the verifier rejects is never posted, a finding confirmed below the gate
 * score is posted but does not gate, and a verifier that fails is said, not
 * hidden, as the repository's `verification.onFailure` chooses.
 */

let sim: Simulator;
let model: FakeOpenAI;
let longview: LongviewProcess;

const AUTH_HEAD = [
  "import { createHmac } from 'node:crypto';",
  "export function verify(user, payload, signature) {",
  "  if (!user) return false;",
  "  const expected = createHmac('sha256', user.secret).update(payload).digest('hex');",
  "  return expected == signature;",
  "}",
  "",
].join("\n");

type ScriptedFinding = ScriptedModelOutput["findings"][number];
const finding = (path: string, line: number, quote: string, over: Partial<ScriptedFinding>): ScriptedFinding => ({
  path,
  line,
  start_line: null,
  side: "RIGHT",
  quote,
  severity: "P1",
  category: "bug",
  title: "t",
  body: "b",
  suggestion: null,
  confidence: 0.9,
  ...over,
});

const TIMING = finding("src/auth.js", 5, "return expected == signature;", {
  category: "security",
  title: "HMAC compared with == (timing attack)",
  body: "Use crypto.timingSafeEqual.",
});
// The reviewer misread line 4: `user` is checked on line 3.
const FALSE_POSITIVE = finding("src/auth.js", 4, "user.secret", {
  title: "user may be undefined here",
  body: "Accessing user.secret throws when user is missing.",
});
const BORDERLINE = finding("src/limits.js", 2, "return n > 100;", { title: "Off-by-one: 100 should be allowed", body: "The limit is inclusive in the docs." });
const FLAKY = finding("src/flaky.js", 2, "return items[0].id;", { title: "Crashes on an empty list", body: "items[0] is undefined when the list is empty." });

beforeAll(async () => {
  sim = await startSimulator();
  model = await startFakeOpenAI(
    ({ body }) => {
      const text = JSON.stringify(body);
      const findings = [TIMING, FALSE_POSITIVE, BORDERLINE, FLAKY].filter((f) => text.includes(f.path));
      return { findings, notes: [] };
    },
    {
      verify: ({ ids, text }) => {
        if (text.includes("src/flaky.js")) return { fault: "status", status: 500, message: "verifier backend down" };
        // One candidate per id, in the order sent: each is judged by what it claims.
        return {
          verdicts: ids.map((id) => {
            const claim = new RegExp(`### ${id}\\\\n[^#]*?Claim: ([^\\\\]*)`).exec(text)?.[1] ?? "";
            if (claim.includes("timing attack"))
              return { id, verdict: "confirmed", score: 0.93, reason: "line 5 compares the digest with ==, which short-circuits" };
            if (claim.includes("undefined")) return { id, verdict: "rejected", score: 0.05, reason: "line 3 returns early when user is missing" };
            return { id, verdict: "confirmed", score: 0.6, reason: "plausible, but the documentation is not in the repository" };
          }),
        };
      },
    },
  );
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: model.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await model?.close();
  await sim?.close();
});

async function openPullRequest(name: string, files: Record<string, string>, config?: string) {
  const repo = `acme/${name}` as const;
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "README.md": "# x\n", ...(config ? { ".github/longview.yml": config } : {}) } }],
    branches: { feature: { commits: [{ message: "change", files }] } },
  });
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: `Change ${name}` });
  await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
  const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "check run");
  const body = sim.state.reviews(repo, pr.number).find((r) => r.body.includes("### Longview review"))?.body ?? "";
  const comments = sim.state.reviewComments(repo, pr.number);
  return { run, body, comments };
}

describe("verification before posting", () => {
  test("(d) the verifier rejects a false positive: it is never posted; the confirmed finding is, with its score and reason, and gates", async () => {
    const { run, body, comments } = await openPullRequest("auth", { "src/auth.js": AUTH_HEAD });
    expect(comments.map((c) => [c.line, c.body.split("\n")[0]])).toEqual([[5, "**P1 · security** — HMAC compared with == (timing attack)"]]);
    expect(comments[0]!.body).toContain("verified (0.93): line 5 compares the digest with ==, which short-circuits");
    expect(JSON.stringify(sim.state.reviews("acme/auth", 1)) + JSON.stringify(run)).not.toContain("user may be undefined");
    expect(body).toContain(
      "Checked before posting: 2 candidate findings, of which 1 rejected or unconfirmed by verification; 2 model findings verified, 1 confirmed.",
    );
    // Survey, window, one verification batch for the file.
    expect(body).toMatch(/model `gpt-5\.1-codex-max`, 3 calls/);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run.actions?.map((a) => a.identifier)).toContain("fix_all");
    expect(sim.violations).toEqual([]);
  });

  test("a finding confirmed above the post score but below the gate score is posted and does not gate", async () => {
    const { run, comments } = await openPullRequest("limits", { "src/limits.js": "export function overLimit(n) {\n  return n > 100;\n}\n" });
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual(["**P1 · bug** — Off-by-one: 100 should be allowed"]);
    expect(comments[0]!.body).toContain("verified (0.60)");
    expect(run).toMatchObject({ conclusion: "success", title: "Passed: 1 finding below the gate (P1 or worse in bug/security)" });
    expect(run.summary).toContain("1 finding at the gate's severity does not block: verified below `verification.gateScore` (0.8) or not verified.");
    expect(run.actions ?? []).toEqual([]);
  });

  test("(e) the verifier fails, `verification.onFailure: post`: the finding is posted marked as not verified, does not gate, and the review says why", async () => {
    const { run, body, comments } = await openPullRequest(
      "flaky",
      { "src/flaky.js": "export function first(items) {\n  return items[0].id;\n}\n" },
      "verification:\n  onFailure: post\n",
    );
    expect(comments.map((c) => c.body.split("\n")[0])).toEqual(["**P1 · bug** — Crashes on an empty list"]);
    expect(comments[0]!.body).toMatch(/\*\*not verified\*\*: verification failed: .*500.*; it does not gate/);
    expect(body).toMatch(
      /Verification failed for 1 model finding \(.*500.*\)\. They are posted marked as not verified and do not gate \(`verification\.onFailure: post`\)\./,
    );
    expect(run).toMatchObject({ conclusion: "success" });
  });

  test("(e) the verifier fails, by default: the finding is withheld, the check says the review is incomplete and fails, and the next push is reviewed whole", async () => {
    const { run, body, comments } = await openPullRequest("flaky-default", { "src/flaky.js": "export function first(items) {\n  return items[0].id;\n}\n" });
    expect(comments).toEqual([]);
    expect(body).toContain("They are not posted, and the review counts as incomplete (`verification.onFailure: incomplete`).");
    expect(body).toMatch(/<!-- longview:review head=[0-9a-f]+ partial -->$/);
    expect(run).toMatchObject({ conclusion: "failure", title: "Incomplete: 1 model finding could not be verified" });
    expect(run.summary).toContain("1 model finding was not posted because verifying it failed");
    expect(sim.violations).toEqual([]);
  });

  test("(e) with `gate.onIncomplete: neutral` the same failure leaves a neutral check", async () => {
    const { run, comments } = await openPullRequest(
      "flaky-neutral",
      { "src/flaky.js": "export function first(items) {\n  return items[0].id;\n}\n" },
      "gate:\n  onIncomplete: neutral\n",
    );
    expect(comments).toEqual([]);
    expect(run).toMatchObject({ conclusion: "neutral", title: "Incomplete: 1 model finding could not be verified" });
  });
});
