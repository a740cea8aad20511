import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { FakeBody, REDIS_URL, redisHarness, reviewJob, testPrefix, waitFor } from "./queue-harness.js";

const STUCK_WORKER = fileURLToPath(new URL("./fixtures/stuck-worker.ts", import.meta.url));

describe("crash safety (BullMQ)", () => {
  test("a worker process killed with SIGKILL mid-review: another worker takes the job after the stall interval and completes it", async () => {
    const prefix = testPrefix();
    const h = await redisHarness({ installationConcurrency: 1 }, prefix);
    let child: ChildProcess | null = null;
    try {
      const output: string[] = [];
      child = spawn(process.execPath, ["--import", "tsx", STUCK_WORKER], {
        env: { ...process.env, REDIS_URL, QUEUE_PREFIX: prefix },
        stdio: ["ignore", "pipe", "inherit"],
      });
      child.stdout?.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean)));
      await waitFor(() => output.includes("ready"), 15_000, "the child worker to start");

      const queued = await h.queue.enqueue(reviewJob());
      await waitFor(() => output.some((l) => l.startsWith("started ")), 5_000, "the child to take the job");
      expect(output).toContain(`started ${queued.jobId}`);

      const killedAt = Date.now();
      child.kill("SIGKILL");
      await new Promise((resolve) => child?.once("exit", resolve));

      const body = new FakeBody();
      await h.startWorker(body);
      await waitFor(() => body.finished().length === 1, 10_000, "the job to be recovered");
      const recoveredAfterMs = Date.now() - killedAt;
      const recovered = body.runs[0]!;
      expect(recovered.run.jobId).toBe(queued.jobId);
      // The recovered attempt completes the check run the killed one created (instead of leaving it "in progress").
      expect(recovered.job.checkRunId).toBe(555);
      // Not before the killed worker's lock (1 s) expired.
      expect(recoveredAfterMs).toBeGreaterThanOrEqual(500);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await h.cleanup();
    }
  });
});
