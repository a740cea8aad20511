import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot, Server } from "probot";
import { createApp } from "../../../src/app.js";
import { withWebhookIntake } from "../../../src/intake/probot-intake.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds, type QueueJob } from "../../../src/queue/kinds/index.js";
import type { JobIntake } from "../../../src/queue/queue.js";
import { appDeps, silentLog, TestOctokit } from "../../helpers/github.js";
import { sendRaw, webhookHeaders, type RawAnswer } from "../../helpers/webhook-http.js";
import { FAST } from "../queue/queue-harness.js";
import { pullRequestOpened } from "../queue/github-examples.js";

/**
 * Probot's Server with Longview's intake and Longview's handlers, over real
 * HTTP: payloads of the wrong shape are refused with a short 400 and
 * nothing is enqueued; a handler that cannot enqueue answers 500.
 */

const SECRET = "probot-intake-secret";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
let server: Server;
let inProcess: InProcessQueue;
let queue: JobIntake;
const enqueued: QueueJob[] = [];

beforeAll(async () => {
  // nock's interception of node:http is not needed here and would hold request bodies.
  nock.restore();
  const Base = Probot.defaults({ appId: 1, privateKey, secret: SECRET, log: silentLog, Octokit: TestOctokit });
  const limits = { maxBytes: 1024 * 1024, readTimeoutMs: 2_000, idleTimeoutMs: 1_000 };
  server = new Server({
    Probot: withWebhookIntake(Base, { secret: SECRET, limits, bufferBytes: 4 * limits.maxBytes }, silentLog),
    host: "127.0.0.1",
    port: 0,
    log: silentLog,
    enableStaticFiles: false,
  });
  const recording: JobIntake = {
    enqueue: async (job) => {
      const result = await queue.enqueue(job);
      enqueued.push(job);
      return result;
    },
  };
  await server.load(createApp(appDeps(recording)));
  await server.start();
});

afterAll(async () => {
  await server.stop();
  await inProcess.close();
});

beforeEach(async () => {
  await inProcess?.close();
  inProcess = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silentLog });
  queue = inProcess;
  enqueued.length = 0;
});

async function deliver(event: string, payload: unknown): Promise<RawAnswer> {
  const body = JSON.stringify(payload);
  const headers = await webhookHeaders({ event, sign: { secret: SECRET, body }, contentLength: Buffer.byteLength(body) });
  return sendRaw({ port: server.port, headers, pieces: [{ data: body }] });
}

const error = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: string }).error;

describe("webhook intake through Probot's routing and Longview's handlers", () => {
  test("a valid pull_request.opened is answered 200 with its review job queued", async () => {
    const answer = await deliver("pull_request", pullRequestOpened(42));
    expect(answer).toMatchObject({ status: 200, body: "ok\n" });
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]).toMatchObject({ kind: "review", installationId: 42, trigger: "pull_request.opened" });
  });

  test("signed payloads of the wrong shape: 400 naming the event and the problem in a line, nothing queued", async () => {
    const pr = pullRequestOpened(42);
    const cases: [string, unknown, string][] = [
      [
        "pull_request",
        { ...pr, pull_request: { ...pr.pull_request, number: "7" } },
        "pull_request.opened payload: pull_request.number: Invalid input: expected number, received string",
      ],
      // Accepted by a loose schema, the job would have failed its own validation in the queue: a 500.
      [
        "pull_request",
        { ...pr, pull_request: { ...pr.pull_request, head: { ...pr.pull_request.head, sha: "main" } } },
        "pull_request.opened payload: pull_request.head.sha: a full commit SHA",
      ],
      [
        "pull_request",
        { action: "opened" },
        "pull_request.opened payload: repository: Invalid input: expected object, received undefined; pull_request: Invalid input: expected object, received undefined; sender: Invalid input: expected object, received undefined",
      ],
      [
        "issue_comment",
        { action: "created", repository: pr.repository, sender: pr.sender, issue: { number: 1, pull_request: {} } },
        "issue_comment.created payload: comment: Invalid input: expected object, received undefined",
      ],
      [
        "check_suite",
        { action: "requested", repository: pr.repository, sender: pr.sender, check_suite: { id: 1, head_sha: 5, pull_requests: [] } },
        "check_suite.requested payload: check_suite.head_sha: Invalid input: expected string, received number",
      ],
    ];
    for (const [event, payload, message] of cases) {
      const answer = await deliver(event, payload);
      expect([answer.status, error(answer)]).toEqual([400, message]);
      expect(answer.body).not.toMatch(/ZodError|\n\s+at /);
      expect(answer.body.length).toBeLessThan(400);
    }
    expect(enqueued).toEqual([]);
    expect(await inProcess.depth()).toMatchObject({ waiting: 0, active: 0 });
  });

  test("CI finishing on a Longview fix commit queues a look at its checks; on any other commit, nothing and no GitHub call", async () => {
    const pr = pullRequestOpened(42);
    const sha = "c".repeat(40);
    const run = (message: string) => ({
      action: "completed",
      installation: { id: 42 },
      repository: pr.repository,
      sender: pr.sender,
      workflow_run: { id: 9, head_sha: sha, pull_requests: [{ number: 7 }], head_commit: { message } },
    });
    const first = await deliver("workflow_run", run("Add a feature\n\nSigned-off-by: someone"));
    expect([first.status, first.body]).toEqual([200, "ok\n"]);
    expect(enqueued).toEqual([]);
    const fix =
      "Fix P1 security: HMAC compared with ==\n\nRequested by @alice (Longview /agent fix).\n\nLongview-Fix: https://github.com/acme/app/pull/7#issuecomment-1";
    expect((await deliver("workflow_run", run(fix))).status).toBe(200);
    expect(enqueued).toEqual([
      expect.objectContaining({
        kind: "ci",
        phase: "watch",
        why: "event",
        sha,
        pullNumber: 7,
        installationId: 42,
        replayKey: expect.stringMatching(/^workflow_run:/),
      }),
    ]);
    // The same event replayed is one look.
    expect((await deliver("workflow_run", run(fix))).status).toBe(200);
    expect(await inProcess.depth()).toMatchObject({ waiting: 1 });
  });

  test("a null body is 400 and reaches no handler", async () => {
    const answer = await deliver("pull_request", null);
    expect([answer.status, error(answer)]).toEqual([400, "payload must be a JSON object"]);
    expect(enqueued).toEqual([]);
  });

  test("a handler's genuine failure (the queue is down) is 500, so GitHub records the delivery as failed", async () => {
    queue = {
      enqueue: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
      },
    };
    const answer = await deliver("pull_request", pullRequestOpened(42));
    expect(answer.status).toBe(500);
    expect(error(answer)).toMatch(/^delivery [\w-]+ could not be handled; see the server log$/);
  });
});
