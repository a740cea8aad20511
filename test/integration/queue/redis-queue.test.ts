import { expect, test } from "@jest/globals";
import { describeWithRedis } from "../../helpers/redis.js";
import { queueBehaviour } from "./queue-behaviour.js";
import { FakeBody, redisHarness, reviewJob, untilAborted, waitFor } from "./queue-harness.js";

describeWithRedis("RedisJobQueue + RedisJobWorker (BullMQ on the local Redis)", () => {
  queueBehaviour(redisHarness);

  test("a job handed back at shutdown is finished by another worker without using up an attempt", async () => {
    const h = await redisHarness();
    try {
      const first = new FakeBody(async (_job, run) => untilAborted(run.signal));
      const worker = await h.startWorker({ review: first });
      await h.queue.enqueue(reviewJob());
      await waitFor(() => first.runs.length === 1);
      await worker.close(100);
      expect(await h.queue.depth()).toMatchObject({ waiting: 1, active: 0 });

      const second = new FakeBody();
      await h.startWorker({ review: second });
      await waitFor(() => second.finished().length === 1);
      expect(second.runs[0]!.run.attempt).toBe(1);
    } finally {
      await h.cleanup();
    }
  });

  test("health reports Redis up", async () => {
    const h = await redisHarness();
    try {
      expect(await h.queue.health()).toEqual({ ok: true, queue: "redis", redis: "up" });
    } finally {
      await h.cleanup();
    }
  });
});
