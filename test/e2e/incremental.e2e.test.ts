import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator, type SimulatorEvent } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";

/**
 * Incremental reviews and exactly-once comments over a sequence of pushes,
 * with the offline analyzers (deterministic findings): every finding is
 * posted once, moved lines keep their identity, fixed findings get one
 * "Fixed in" reply and a resolved thread, a force-push is reviewed in full
 * and still deduplicated, and a replayed job posts nothing.
 */

const REPO = "acme/incremental";
let sim: Simulator;
let longview: LongviewProcess;
let prNumber = 0;

beforeAll(async () => {
  sim = await startSimulator();
  longview = await startLongview(simulatorEnv(sim));
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

const fn = (name: string, body: string) => `export function ${name}(input) {\n  ${body}\n  return input;\n}\n`;

async function deliverAndWait(event: SimulatorEvent, sha: string): Promise<void> {
  await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: event.name, payload: event.payload });
  await waitFor(() => sim.state.checkRuns(REPO, sha).find((c) => c.status === "completed"), `check run on ${sha.slice(0, 7)}`);
}

async function push(files: Record<string, string>): Promise<string> {
  const { sha, events } = await sim.pushCommit(REPO, "feature", { message: "push", files });
  await deliverAndWait(events[0]!, sha);
  return sha;
}

const rootComments = () => sim.state.reviewComments(REPO, prNumber).filter((c) => c.inReplyToId === null);
const titles = () =>
  rootComments()
    .map((c) => `${c.path}:${c.body.split("\n")[0]}`)
    .sort();
const summaries = () => sim.state.reviews(REPO, prNumber).filter((r) => r.body.includes("### Longview review"));

describe("incremental reviews", () => {
  test("five pushes, a fix, a force-push and a replay: each finding exactly once", async () => {
    await sim.createRepo({
      owner: "acme",
      name: "incremental",
      commits: [{ message: "base", files: { "src/a.js": fn("a", "// nothing yet"), "src/b.js": fn("b", "// nothing yet") } }],
      branches: { feature: { commits: [{ message: "1", files: { "src/a.js": fn("a", "eval(input.a);") } }] } },
    });
    const pr = await sim.createPullRequest({ repo: REPO, head: "feature", base: "main", title: "Features" });
    prNumber = pr.number;

    // 1. Opened: finding A.
    await deliverAndWait(pr.event, pr.headSha);
    expect(rootComments()).toHaveLength(1);
    expect(summaries()).toHaveLength(1);

    // 2. A new finding B in another file: only B is posted, in an incremental review.
    const second = await push({ "src/b.js": fn("b", "eval(input.b);") });
    expect(rootComments()).toHaveLength(2);
    expect(summaries()).toHaveLength(2);
    expect(summaries()[1]!.body).toContain(`Incremental review of \`${pr.headSha.slice(0, 7)}..${second.slice(0, 7)}\``);

    // 3. Lines move (code inserted above A): same fingerprints, nothing new, nothing posted.
    await push({ "src/a.js": `// header\n// more header\n${fn("a", "eval(input.a);")}` });
    expect(rootComments()).toHaveLength(2);
    expect(summaries()).toHaveLength(2);

    // 4. A is fixed: one "Fixed in" reply, thread resolved, nothing re-posted.
    const fixSha = await push({ "src/a.js": `// header\n// more header\n${fn("a", "JSON.parse(input.a);")}` });
    const replies = sim.state.reviewComments(REPO, prNumber).filter((c) => c.inReplyToId !== null);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain(`Fixed in ${fixSha}`);
    const threadOfA = sim.state.threads(REPO, prNumber).find((t) => t.id === rootComments().find((c) => c.path === "src/a.js")!.threadId);
    expect(threadOfA?.isResolved).toBe(true);

    // 5. A new finding C next to B: only C.
    await push({ "src/b.js": fn("b", "eval(input.b);\n  new Function(input.c)();") });
    expect(rootComments()).toHaveLength(3);

    // A replayed job for the same head (a redelivery with a new id) posts nothing.
    const before = sim.state.reviewComments(REPO, prNumber).length;
    const reviewsBefore = sim.state.reviews(REPO, prNumber).length;
    const replay = (await sim.pushCommit(REPO, "feature", { message: "noop", files: { "README.md": "x\n" } })).events[0]!;
    const head = sim.state.pullRequest(REPO, prNumber).headSha;
    await deliverAndWait(replay, head);
    await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: replay.name, payload: replay.payload });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sim.state.reviewComments(REPO, prNumber)).toHaveLength(before);
    expect(sim.state.reviews(REPO, prNumber)).toHaveLength(reviewsBefore);

    // Force-push: history rewritten onto main, A's code back and B unchanged → full review, still no repeats.
    const forced = await sim.forcePush(REPO, "feature", "main", {
      message: "rewrite",
      files: { "src/a.js": fn("a", "eval(input.a);"), "src/b.js": fn("b", "eval(input.b);\n  new Function(input.c)();") },
    });
    await deliverAndWait(forced.events[0]!, forced.sha);
    expect(rootComments()).toHaveLength(3);
    expect(new Set(titles()).size).toBe(3);

    const last = sim.state.checkRuns(REPO, forced.sha)[0]!;
    // Still-open findings from earlier reviews keep the gate closed.
    expect(last.conclusion).toBe("failure");
    expect(sim.violations).toEqual([]);
  }, 120_000);
});
