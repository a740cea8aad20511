import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot } from "probot";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { alice, buggy, commandInThread, deliverTo, expectFixedAndReviewed, fixed, reviewedPullRequest, type FixScenario } from "./fix-scenario.js";

/**
 * `/agent undo` end to end, offline: the real server against the GitHub
 * simulator (real git objects, GitHub's OpenAPI description checked on
 * every request). Longview's fix commit lands through `/agent fix`; the
 * undo puts the branch's content back as it was before the fix, in one new
 * commit — or refuses, and says why, for a read-only user and after someone
 * else's commit touched the fixed file (a later push or a force-push).
 */

let sim: Simulator;
let longview: LongviewProcess;

beforeAll(async () => {
  // This test talks HTTP to the simulator itself (to post the command comment); nock's fetch interception breaks request bodies passed through to real servers.
  nock.restore();
  sim = await startSimulator();
  longview = await startLongview(simulatorEnv(sim));
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

const webhookUrl = () => longview.webhookUrl;
const bob = { login: "bob", id: 5002, type: "User" };

/** `sender` comments `/agent undo` on the conversation (posted by the app, as in fix-scenario's `commandOnConversation`). */
async function undoOnConversation({ pr, repo }: FixScenario, sender = alice): Promise<void> {
  const app = new Probot({ appId: sim.app.id, privateKey: sim.app.privateKey, baseUrl: sim.url });
  const gh = await app.auth(sim.installationId("acme")!);
  const [owner, name] = repo.split("/") as [string, string];
  const { data: command } = await gh.rest.issues.createComment({ owner, repo: name, issue_number: pr.number, body: "/agent undo" });
  await deliverTo(sim, webhookUrl())("issue_comment", {
    action: "created",
    installation: { id: sim.installationId("acme")! },
    repository: pr.payload["repository"],
    sender,
    issue: { number: pr.number, state: "open", pull_request: { url: command.issue_url.replace(/\/issues\//, "/pulls/") } },
    comment: { ...command, user: sender, body: "/agent undo" },
  });
}

/** Longview's answer to `login`'s undo on the conversation. */
function undoAnswer({ pr, repo }: FixScenario, login: string, match: RegExp) {
  return waitFor(() => sim.state.issueComments(repo, pr.number).find((c) => c.body.startsWith(`@${login} `) && match.test(c.body)), `the answer to @${login}`);
}

/** A pull request whose NaN finding Longview fixed with `/agent fix`; returns the fix commit. */
async function fixedPullRequest(name: string): Promise<{ scenario: FixScenario; fix: string }> {
  const scenario = await reviewedPullRequest(sim, webhookUrl(), name);
  await commandInThread(sim, webhookUrl(), scenario);
  const fix = await expectFixedAndReviewed(sim, scenario);
  return { scenario, fix };
}

describe("/agent undo against the simulator", () => {
  test("refused for a read-only user; then a writer's undo puts the branch back as before the fix, in one commit, and its review follows", async () => {
    const { scenario, fix } = await fixedPullRequest("undo-fix");
    const { repo } = scenario;
    sim.setPermission(repo, "bob", "read");

    await undoOnConversation(scenario, bob);
    const refused = await undoAnswer(scenario, "bob", /write access/);
    expect(refused.body).toMatch(/^@bob Only people with write access to this repository can run `\/agent undo`\./);
    expect(await sim.state.branchTip(repo, "feature")).toBe(fix);

    await undoOnConversation(scenario);
    const answer = await undoAnswer(scenario, "alice", /undoing/);
    const head = (await sim.state.branchTip(repo, "feature"))!;
    expect(head).not.toBe(fix);
    expect(answer.body).toContain(`@alice Committed [\`${head.slice(0, 7)}\`]`);
    expect(answer.body).toContain(`undoing Longview's fix commit:\n- \`${fix.slice(0, 7)}\` Fix P1 bug: Comparison with NaN is always false`);
    const [undo] = await sim.state.commits(repo, "feature");
    expect(undo!.sha).toBe(head);
    expect(undo!.parents).toEqual([fix]);
    expect(undo!.message).toMatch(/^Undo Longview fix: Fix P1 bug: Comparison with NaN is always false\n/);
    expect(undo!.message).toMatch(new RegExp(`\\n\\nLongview-Undo: ${fix}$`));
    // The content before the fix, and nothing else touched.
    expect(await sim.state.fileAt(repo, "feature", "src/calc.js")).toBe(buggy);
    expect(await sim.state.fileAt(repo, "feature", "README.md")).toBe("# Ratios\n");

    // The undo commit is reviewed like a fix commit (queued by the undo: Longview's own push is a bot event).
    await waitFor(() => sim.state.checkRuns(repo, head).find((c) => c.status === "completed"), "the review of the undo commit");

    // Undone already: a second undo commits nothing.
    await undoOnConversation(scenario);
    await undoAnswer(scenario, "alice", /nothing to undo/);
    expect(await sim.state.branchTip(repo, "feature")).toBe(head);
    expect(sim.violations).toEqual([]);
  }, 180_000);

  test("refused after someone else's later commit changed the fixed file, and after a force-push rewrote the branch without the fix", async () => {
    const later = await fixedPullRequest("undo-later");
    const pushed = await sim.pushCommit(later.scenario.repo, "feature", { message: "tweak", files: { "src/calc.js": `// Ratios.\n${fixed}` } });
    await undoOnConversation(later.scenario);
    const touched = await undoAnswer(later.scenario, "alice", /Other commits changed/);
    expect(touched.body).toContain(`\`${pushed.sha.slice(0, 7)}\` (“tweak”) by Simulated Developer changed \`src/calc.js\``);
    expect(await sim.state.branchTip(later.scenario.repo, "feature")).toBe(pushed.sha);

    const forced = await fixedPullRequest("undo-forced");
    const rewritten = await sim.forcePush(forced.scenario.repo, "feature", forced.scenario.pr.headSha, {
      message: "my own fix",
      files: { "src/calc.js": fixed.replace("return 0", "return -1") },
    });
    await undoOnConversation(forced.scenario);
    const gone = await undoAnswer(forced.scenario, "alice", /no longer in the history/);
    expect(gone.body).toContain(
      `@alice Longview's commit \`${forced.fix.slice(0, 7)}\` is no longer in the history of the branch \`feature\` (a force-push rewrote or removed it), so there is no commit of Longview's left to revert. Nothing was changed.`,
    );
    expect(await sim.state.branchTip(forced.scenario.repo, "feature")).toBe(rewritten.sha);
    expect(sim.violations).toEqual([]);
  }, 240_000);
});
