import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { responsesReply } from "../../helpers/openai.js";
import type { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { COMPARE, HMAC_FILE as auth } from "../../helpers/hmac-scenario.js";
import { addComments, appWith, longviewComment, reviewReplyEvent, shop } from "./github-mock.js";

/**
 * A model-made fix must prove itself before it is committed: a judge reads the
 * diff against the finding, then the fix's diff goes through the review
 * pipeline. Scripted Responses API (nock), real Probot, GitHub in memory.
 * The `return true` fix of a timing-attack finding passes every mechanical
 * check (it applies, parses, and the analyzers see nothing): only the judge
 * stops it.
 */

const FINDING_ID = 901;
const timing = longviewComment(FINDING_ID, {
  path: "src/auth.js",
  line: 5,
  severity: "P1",
  category: "security",
  title: "HMAC compared with == (timing attack)",
  body: "`==` stops at the first differing character, so the time it takes leaks the expected signature. Compare with crypto.timingSafeEqual.",
  source: "agent",
  verification: { status: "confirmed", score: 0.93, reason: "line 5 compares the digest with ==" },
});

const bypass = { summary: "Simplify the comparison.", edits: [{ path: "src/auth.js", search: COMPARE, replace: "  return true;" }] };
const emptied = {
  summary: "Remove the insecure comparison.",
  edits: [{ path: "src/auth.js", search: "  const expected = createHmac('sha256', secret).update(payload).digest('hex');\n" + COMPARE, replace: "" }],
};
const constantTime = {
  summary: "Compare the digests in constant time.",
  edits: [
    {
      path: "src/auth.js",
      search: COMPARE,
      replace: "  const a = Buffer.from(expected);\n  const b = Buffer.from(String(signature));\n  return a.length === b.length && timingSafeEqual(a, b);",
    },
  ],
};

interface Body {
  text?: { format?: { name?: string } };
  input?: { role: string; content: string }[];
}
const formatIs = (name: string) => (body: Body) => body.text?.format?.name === name;
const judgeSees = (needle: string) => (body: Body) => formatIs("longview_fix_judgement")(body) && JSON.stringify(body.input).includes(needle);

/**
 * The fix model answers `fixes` in order. The judge rejects a diff that adds `return true;` or removes the
 * digest without adding a constant-time comparison, and accepts the rest. The review of a fix's diff reports
 * `reviewFinding` when the diff contains `reviewTrigger`, else nothing; its findings are confirmed by the verifier.
 */
function scripted(fixes: unknown[], review: { trigger: string; finding: object } | null = null) {
  // Distinct request bodies per format: nock may test a body against several interceptors.
  const bodies = new Map<string, Set<string>>();
  const seen = {
    get fix() {
      return bodies.get("longview_fix")?.size ?? 0;
    },
    get judge() {
      return bodies.get("longview_fix_judgement")?.size ?? 0;
    },
    get review() {
      return bodies.get("longview_review")?.size ?? 0;
    },
    get verify() {
      return bodies.get("longview_verification")?.size ?? 0;
    },
  };
  const count = (_req: unknown, _i: unknown, text: string) => {
    const name = (JSON.parse(text) as Body).text?.format?.name ?? "";
    bodies.set(name, (bodies.get(name) ?? new Set()).add(text));
  };
  const once = nock("https://api.openai.com").on("request", count);
  for (const fix of fixes) once.post("/v1/responses", formatIs("longview_fix")).reply(200, responsesReply(JSON.stringify(fix)));
  const always = nock("https://api.openai.com").persist().on("request", count);
  always
    .post("/v1/responses", judgeSees("+  return true;"))
    .optionally()
    .reply(200, responsesReply(JSON.stringify({ verdict: "reject", reason: "Returning true accepts every signature: an authentication bypass, not a fix." })));
  always
    .post("/v1/responses", (b: Body) => judgeSees("-  return expected == signature;")(b) && !JSON.stringify(b.input).includes("timingSafeEqual("))
    .optionally()
    .reply(200, responsesReply(JSON.stringify({ verdict: "reject", reason: "The diff deletes the signature check instead of fixing the comparison." })));
  always
    .post("/v1/responses", formatIs("longview_fix_judgement"))
    .optionally()
    .reply(200, responsesReply(JSON.stringify({ verdict: "accept", reason: "The digests are now compared with timingSafeEqual after a length check." })));
  if (review) {
    always
      .post("/v1/responses", (b: Body) => formatIs("longview_review")(b) && JSON.stringify(b.input).includes(review.trigger))
      .optionally()
      .reply(200, responsesReply(JSON.stringify({ findings: [review.finding], notes: [] })));
    always
      .post("/v1/responses", formatIs("longview_verification"))
      .optionally()
      .reply(200, responsesReply(JSON.stringify({ verdicts: [{ id: "F1", verdict: "confirmed", score: 0.9, reason: "the new code does that" }] })));
  }
  always
    .post("/v1/responses", formatIs("longview_review"))
    .optionally()
    .reply(200, responsesReply(JSON.stringify({ findings: [], notes: [] })));
  return seen;
}

function world(config?: string): FakeGitHubHost {
  const { fake } = shop({ files: { "src/auth.js": auth }, access: { alice: "write" }, ...(config !== undefined ? { config } : {}) });
  addComments(fake, [timing]);
  return fake;
}

async function fix(fake: FakeGitHubHost, id: string) {
  const { receive } = await appWith({ model: true, github: fake });
  const event = reviewReplyEvent("/agent fix", FINDING_ID);
  await receive({ id, ...event, payload: event.payload as never });
  return fake.answers.map((a) => a.body);
}

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

describe("a model-made fix proves itself before it is committed", () => {
  test("`return true` for a timing attack: the judge rejects it, its reason goes back, and the constant-time fix is committed", async () => {
    const fake = world();
    const seen = scripted([bypass, constantTime]);
    const [reply] = await fix(fake, "delivery-proof-1");

    expect(seen).toMatchObject({ fix: 2, judge: 2 });
    expect(fake.commits).toHaveLength(1);
    const committed = fake.commits[0]!.files.get("src/auth.js") ?? "";
    expect(committed).toContain("timingSafeEqual(a, b)");
    expect(committed).not.toContain("return true;");
    // Two proposals, two judgements, one review of the accepted diff.
    expect(reply).toContain("in 2 attempts (7,500 tokens)");
    expect(reply).toContain("a model judge read the diff against the findings and accepted it");
  });

  test("a fix that keeps bypassing or deleting the check is never committed; the thread says why, in the judge's words", async () => {
    const fake = world("fix:\n  maxAttempts: 2\n");
    const seen = scripted([bypass, emptied]);
    const [reply] = await fix(fake, "delivery-proof-2");

    expect(seen).toMatchObject({ fix: 2, judge: 2 });
    // Rejected by the judge: the diff was never reviewed (two proposals and two judgements only).
    expect(reply).toContain("in 2 attempts (6,000 tokens)");
    expect(fake.commits).toEqual([]);
    expect(reply).toContain("Attempt 1: A judge reviewing your diff rejected it: Returning true accepts every signature: an authentication bypass, not a fix.");
    expect(reply).toContain("Attempt 2: A judge reviewing your diff rejected it: The diff deletes the signature check instead of fixing the comparison.");
  });

  test("a fix the judge accepts but whose diff the review finds a new blocking problem in goes back with that problem", async () => {
    const fake = world("fix:\n  maxAttempts: 1\n");
    const leaky = {
      summary: "Compare in constant time and log mismatches.",
      edits: [
        {
          path: "src/auth.js",
          search: COMPARE,
          replace: "  console.log('expected', expected);\n  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));",
        },
      ],
    };
    const seen = scripted([leaky], {
      trigger: "console.log('expected', expected);",
      finding: {
        path: "src/auth.js",
        line: 5,
        start_line: null,
        side: "RIGHT",
        quote: "console.log('expected', expected);",
        severity: "P1",
        category: "security",
        title: "Expected signature written to the logs",
        body: "Anyone who reads the logs can forge signatures.",
        suggestion: null,
        confidence: 0.9,
      },
    });
    const [reply] = await fix(fake, "delivery-proof-3");

    // The proposal, the judgement, the review of the diff and the verification of its finding.
    expect(seen).toMatchObject({ fix: 1, judge: 1 });
    expect(reply).toContain("in 1 attempt (6,000 tokens)");
    expect(fake.commits).toEqual([]);
    expect(reply).toContain("The review of your fix found a new P1 security problem at `src/auth.js:5`: Expected signature written to the logs.");
  });
});
