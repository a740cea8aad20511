import { afterEach, expect, test } from "@jest/globals";
import { describeWithRedis } from "../../helpers/redis.js";
import { createApp } from "../../../src/app.js";
import { createCommandJobHandler } from "../../../src/commands/command-job-handler.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { RedisJobQueue } from "../../../src/queue/redis-queue.js";
import { RedisJobWorker } from "../../../src/queue/redis-worker.js";
import { silentLog, testProbot } from "../../helpers/github.js";
import { REDIS_URL, deleteKeys, sleep, testPrefix, waitFor } from "../queue/queue-harness.js";
import { RecordedReviews, conversationEvent, shop } from "./github-mock.js";

/** With Redis (BullMQ on the local Redis at REDIS_URL): the app queues the command, a worker process runs it, a redelivery does not. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeWithRedis("/agent commands on the Redis queue", () => {
  test("a command job is processed by a worker; its redelivered webhook is not queued again", async () => {
    const prefix = testPrefix();
    cleanups.push(() => deleteKeys(prefix));
    const settings = { concurrency: 2, installationConcurrency: 2, attempts: 2, backoffMs: 10 };
    const queue = await RedisJobQueue.connect({ kinds: jobKinds, redisUrl: REDIS_URL, prefix, settings, deliveryTtlSeconds: 60, log: silentLog });
    cleanups.push(() => queue.close());
    const { fake } = shop();
    const replies = () => fake.answers.map((a) => a.body);
    const probot = testProbot();
    await probot.load(createApp({ queue, github: () => fake }));

    await probot.receive({ id: "redis-help", ...conversationEvent("/agent help") } as never);
    await probot.receive({ id: "redis-help", ...conversationEvent("/agent help") } as never);
    // Nothing ran in the webhook handler: the job waits for a worker.
    expect(replies()).toEqual([]);
    expect(fake.calls).toEqual(["acknowledge", "acknowledge"]);
    expect(await queue.depth()).toMatchObject({ waiting: 1, active: 0 });

    const reviews = new RecordedReviews();
    const commandHandler = createCommandJobHandler({
      github: () => Promise.resolve(fake),
      deps: { analyzers: [], fixModel: null },
      queue,
    });
    const worker = await RedisJobWorker.start({
      kinds: jobKinds,
      handlers: { review: reviews, command: commandHandler },
      redisUrl: REDIS_URL,
      prefix,
      settings,
      lockMs: 2_000,
      stalledIntervalMs: 1_000,
      maxStalls: 1,
      log: silentLog,
    });
    cleanups.push(() => worker.close(1_000));

    await waitFor(() => replies().length === 1, 10_000, "the help text");
    expect(replies()[0]).toMatch(/^\*\*Longview commands\*\*/);
    await waitFor(async () => (await queue.depth()).active === 0, 5_000, "the job to finish");
    await sleep(100);
    expect(fake.reactions).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(await queue.depth()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(reviews.jobs).toEqual([]);
  }, 20_000);
});
