import { describe, expect, test } from "@jest/globals";
import type { AccessLevel } from "../../../src/github/permission.js";
import type { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { BRANCH, HEAD, OWNER, REPO, addComments, appWith, longviewComment, reviewReplyEvent, shop } from "./github-mock.js";

/**
 * `/agent` commands are queue jobs: the webhook handler only adds the 👀
 * and queues; the worker runs the command; a redelivered webhook runs
 * nothing twice; a retry after the commit does not commit again.
 */

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const FINDING_ID = 501;
const nanFinding = longviewComment(FINDING_ID, {
  path: "src/calc.js",
  line: 3,
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  source: "eslint",
  ruleId: "use-isnan",
});
const fixEvent = () => {
  const event = reviewReplyEvent("/agent fix", FINDING_ID);
  return { name: event.name, payload: event.payload };
};

const shopRepo = { owner: OWNER, repo: REPO };

/** `src/calc.js` at the head, the finding's thread; alice may write unless `access` says otherwise. */
function world(access: Readonly<Record<string, AccessLevel>> = { alice: "write" }): FakeGitHubHost {
  const { fake } = shop({ files: { "src/calc.js": calc }, access });
  addComments(fake, [nanFinding]);
  return fake;
}

const replies = (fake: FakeGitHubHost) => fake.answers.map((a) => a.body);

describe("/agent commands as queue jobs", () => {
  test("the webhook handler only adds the 👀 and queues the job; the fix happens in the worker", async () => {
    const fake = world();
    const app = await appWith({ startWorker: false, github: fake });

    await app.probot.receive({ id: "delivery-queued", ...fixEvent() } as never);
    // The webhook handler asked GitHub for nothing but the reaction.
    expect(fake.calls).toEqual(["acknowledge"]);
    expect(fake.reactions).toMatchObject([{ on: "review-comment", commentId: 900, content: "eyes" }]);
    expect(fake.commits).toEqual([]);
    expect(await app.jobs.depth()).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });

    app.startWorker();
    await app.jobs.idle();
    const [commit] = fake.commits;
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(commit!.sha);
    expect(replies(fake)).toHaveLength(1);
    expect(replies(fake)[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ kind: "review", headSha: commit!.sha, previousSha: HEAD, deliveryId: "delivery-queued", trigger: "agent.fix" }]);
  });

  test("a redelivered command webhook runs the fix once", async () => {
    const fake = world();
    const app = await appWith({ github: fake });
    await app.receive({ id: "delivery-twice", ...fixEvent() });
    const afterFirst = fake.calls.length;
    await app.receive({ id: "delivery-twice", ...fixEvent() });

    // The redelivery is acknowledged again (GitHub keeps one 👀 per user), and nothing else.
    expect(fake.calls.slice(afterFirst)).toEqual(["acknowledge"]);
    expect(fake.reactions).toHaveLength(1);
    expect(fake.commits).toHaveLength(1);
    expect(replies(fake)).toHaveLength(1);
    expect(app.queue.jobs).toHaveLength(1);
  });

  test("a transient failure after the commit is retried without committing again", async () => {
    const fake = world();
    // GitHub fails the answer on the first two attempts of the job (not stored).
    fake.fail("answer", { kind: "transient", times: 2 });

    const app = await appWith({ github: fake });
    await app.receive({ id: "delivery-retry", ...fixEvent() });

    expect(fake.calls.filter((c) => c === "answer")).toHaveLength(3);
    expect(fake.commits).toHaveLength(1);
    const [commit] = fake.commits;
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(commit!.sha);
    // The answer the third attempt posted, once.
    expect(replies(fake)).toHaveLength(1);
    expect(replies(fake)[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: commit!.sha, trigger: "agent.fix" }]);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  }, 15_000);

  test("a command whose work fails for good is answered with the failure once, not retried", async () => {
    // alice is no collaborator: GitHub answers 404 for her permission, which is no access.
    const fake = world({});
    const app = await appWith({ github: fake });
    await app.receive({ id: "delivery-no-access", ...fixEvent() });
    expect(fake.calls.filter((c) => c === "access")).toHaveLength(1);
    expect(fake.commits).toEqual([]);
    expect(replies(fake)).toEqual(["@alice Only people with write access to this repository can run `/agent fix`."]);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  });
});
