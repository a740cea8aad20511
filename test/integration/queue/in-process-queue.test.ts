import { describe, expect, test } from "@jest/globals";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { memoryStore } from "../../../src/queue/job-store.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { queueBehaviour } from "./queue-behaviour.js";
import { FAST, FakeBody, inProcessHarness, reviewJob, silent, waitFor } from "./queue-harness.js";

describe("InProcessQueue", () => {
  queueBehaviour(inProcessHarness);

  test("remembers a bounded number of deliveries: the oldest are forgotten", async () => {
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent, store: memoryStore(2) });
    const a = reviewJob({ pullNumber: 1 });
    await queue.enqueue(a);
    await queue.enqueue(reviewJob({ pullNumber: 2 }));
    await queue.enqueue(reviewJob({ pullNumber: 3 }));
    // `a`'s delivery was forgotten; its pull request still has a pending job for the same head.
    expect(await queue.enqueue(a)).toMatchObject({ status: "queued" });
    await queue.close();
  });

  test("jobs still queued at shutdown are dropped loudly, and the queue refuses new ones once closed", async () => {
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, concurrency: 1 }, log: silent });
    const body = new FakeBody(async () => "reviewed");
    const worker = queue.startWorker({ review: body });
    await queue.enqueue(reviewJob({ pullNumber: 1 }));
    await waitFor(() => body.finished().length === 1);
    await worker.close(1_000);
    await queue.enqueue(reviewJob({ pullNumber: 2 }));
    expect(await queue.depth()).toMatchObject({ waiting: 1 });
    await queue.close();
    await expect(queue.enqueue(reviewJob({ pullNumber: 3 }))).rejects.toThrow("closed");
    expect(await queue.health()).toMatchObject({ ok: false });
  });
});
