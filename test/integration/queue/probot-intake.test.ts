import { afterEach, describe, expect, test } from "@jest/globals";
import { testWithRedis } from "../../helpers/redis.js";
import { createApp } from "../../../src/app.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { appDeps, testProbot } from "../../helpers/github.js";
import { pullRequestOpened } from "./github-examples.js";
import { FAST, FakeBody, redisHarness, silent, type QueueHarness } from "./queue-harness.js";

/**
 * Through real Probot: a webhook is validated and enqueued, and `receive`
 * returns without touching GitHub (nock refuses any request, so a call would
 * fail the delivery). The review itself happens in a worker.
 */

let harness: QueueHarness | null = null;
afterEach(async () => {
  await harness?.cleanup();
  harness = null;
});

describe("webhook intake", () => {
  test("pull_request.opened returns quickly with the job enqueued, and a worker receives exactly that job", async () => {
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent });
    const probot = testProbot();
    await probot.load(createApp(appDeps(queue)));
    const payload = pullRequestOpened(42);

    // Warm-up delivery (first-use costs: schema compilation, module init) on another pull request.
    await probot.receive({ id: "warm-up", name: "pull_request", payload: { ...payload, pull_request: { ...payload.pull_request, number: 99 } } as never });
    const started = performance.now();
    await probot.receive({ id: "delivery-intake-1", name: "pull_request", payload: payload as never });
    const ackMs = performance.now() - started;

    expect(ackMs).toBeLessThan(100);
    expect(await queue.depth()).toMatchObject({ waiting: 2, active: 0 });

    const body = new FakeBody();
    queue.startWorker({ review: body });
    await queue.idle();
    const job = body.runs.map((r) => r.job).find((j) => j.deliveryId === "delivery-intake-1");
    expect(job).toEqual({
      kind: "review",
      installationId: 42,
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      pullNumber: payload.pull_request.number,
      headSha: payload.pull_request.head.sha,
      deliveryId: "delivery-intake-1",
      // The signed payload, not the delivery id, tells a replay; an automatic event reviews a head once.
      replayKey: expect.stringMatching(/^pull_request:[0-9a-f]{64}$/),
      onlyIfUnreviewed: true,
      trigger: "pull_request.opened",
    });
    await queue.close();
  });

  testWithRedis("with Redis: a redelivered webhook is acknowledged but enqueued once; a bot's event not at all", async () => {
    harness = await redisHarness();
    const probot = testProbot();
    await probot.load(createApp(appDeps(harness.queue)));
    const payload = pullRequestOpened(42);

    await probot.receive({ id: "delivery-redis-1", name: "pull_request", payload: payload as never });
    await probot.receive({ id: "delivery-redis-1", name: "pull_request", payload: payload as never });
    await probot.receive({
      id: "delivery-redis-2",
      name: "pull_request",
      payload: { ...payload, pull_request: { ...payload.pull_request, number: 2 }, sender: { login: "longview[bot]", type: "Bot" } } as never,
    });
    expect(await harness.queue.depth()).toMatchObject({ waiting: 1 });
  });
});
