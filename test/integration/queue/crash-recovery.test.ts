import { spawn, type ChildProcess } from "node:child_process";
import { describeWithRedis } from "../../helpers/redis.js";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "@jest/globals";
import { FakeBody, REDIS_URL, redisHarness, reviewJob, testPrefix, waitFor, type QueueHarness } from "./queue-harness.js";

const STUCK_WORKER = fileURLToPath(new URL("./fixtures/stuck-worker.ts", import.meta.url));

let child: ChildProcess | null = null;
let harness: QueueHarness | null = null;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = null;
  await harness?.cleanup();
  harness = null;
});

/** Starts the stuck worker in a child process, lets it take `jobId`, then kills it with SIGKILL. */
async function crashWhileRunning(prefix: string, enqueue: () => Promise<string>): Promise<number> {
  const output: string[] = [];
  child = spawn(process.execPath, ["--import", "tsx", STUCK_WORKER], {
    env: { ...process.env, REDIS_URL, QUEUE_PREFIX: prefix },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout?.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean)));
  await waitFor(() => output.includes("ready"), 15_000, "the child worker to start");
  const jobId = await enqueue();
  await waitFor(() => output.includes(`started ${jobId}`), 5_000, "the child to take the job");
  const exited = new Promise((resolve) => child?.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return Date.now();
}

describeWithRedis("crash safety (BullMQ)", () => {
  test("a worker process killed with SIGKILL mid-review: another worker takes the job after the stall interval and completes it", async () => {
    const prefix = testPrefix();
    const h = (harness = await redisHarness({ installationConcurrency: 1 }, prefix));
    let jobId = "";
    const killedAt = await crashWhileRunning(prefix, async () => {
      const queued = await h.queue.enqueue(reviewJob());
      jobId = queued.jobId ?? "";
      return jobId;
    });

    const body = new FakeBody();
    await h.startWorker({ review: body });
    await waitFor(() => body.finished().length === 1, 10_000, "the job to be recovered");
    const recovered = body.runs[0]!;
    expect(recovered.run.jobId).toBe(jobId);
    // The recovered attempt completes the check run the killed one created (instead of leaving it "in progress").
    expect(recovered.job.checkRunId).toBe(555);
    // Not before the killed worker's lock (1 s) expired.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(500);
  });

  test("a job that crashes its worker more often than allowed fails for good, and the failure is reported", async () => {
    const prefix = testPrefix();
    // No stall allowed: the first crash is already one too many.
    const h = (harness = await redisHarness({}, prefix, 0));
    await crashWhileRunning(prefix, async () => (await h.queue.enqueue(reviewJob())).jobId ?? "");

    const body = new FakeBody();
    await h.startWorker({ review: body });
    await waitFor(() => body.abandonedJobs.length === 1, 10_000, "the job to be abandoned");
    expect(body.runs).toEqual([]);
    expect(body.abandonedJobs[0]).toMatchObject({ job: { checkRunId: 555 }, reason: "job stalled more than allowable limit" });
    expect(await h.queue.depth()).toMatchObject({ failed: 1, waiting: 0, active: 0 });
  });
});
