import { createHash, generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../../src/app.js";
import { compose } from "../../../src/compose.js";
import { loadEnv } from "../../../src/config/env.js";
import type { GitHub } from "../../../src/github/client.js";
import { anchorHash } from "../../../src/review/fingerprint.js";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import type { ReviewJob, ReviewJobHandler, ReviewOutcome } from "../../../src/queue/kinds/review.js";
import type { QueueSettings } from "../../../src/queue/queue.js";
import { formatFindingComment } from "../../../src/github/finding-comment.js";
import { createCommandJobHandler } from "../../../src/commands/command-job-handler.js";
import { ReviewCommentSchema } from "../../../src/github/git-schemas.js";
import type { AccessLevel } from "../../../src/github/permission.js";
import { FakeGitHubHost, type FakePullRequestInput, type FilesInput } from "../../helpers/fake-github-host.js";
import { GITHUB_API, silentLog } from "../../helpers/github.js";
import { finding } from "../../helpers/findings.js";

/**
 * A pull request in octo/shop for `/agent` command tests: payload builders,
 * the pull request in GitHub's in-memory stand-in (`shop`, FakeGitHubHost),
 * and — for the tests whose point is the HTTP exchange itself (a 502 after
 * or before GitHub did a write) — nock interceptors that record each body.
 */

export const OWNER = "octo";
export const REPO = "shop";
export const PR_NUMBER = 7;
export const BRANCH = "feature";
export const BOT = "longview[bot]";
export const repoPath = `/repos/${OWNER}/${REPO}`;

/** Full 40-hex SHAs, as GitHub (and the queue's job schema) require. */
export const sha = (c: string) => c.repeat(40).slice(0, 40);
export const HEAD = sha("a");
export const HEAD_TREE = sha("b");
export const NEW_BLOB = sha("c");
export const NEW_TREE = sha("d");
export const NEW_COMMIT = sha("e");
export const BASE = sha("f");

export const repository = { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, type: "Organization" }, default_branch: "main" };
const alice = { login: "alice", type: "User" };

export function pullRequest(overrides: Record<string, unknown> = {}) {
  return {
    number: PR_NUMBER,
    title: "Ratios",
    body: "",
    state: "open",
    draft: false,
    merged: false,
    user: alice,
    maintainer_can_modify: false,
    head: { sha: HEAD, ref: BRANCH, repo: { full_name: `${OWNER}/${REPO}` } },
    base: { sha: BASE, ref: "main", repo: { full_name: `${OWNER}/${REPO}` } },
    ...overrides,
  };
}

/** The review jobs the queue hands its worker (the review itself is not under test here). */
export class RecordedReviews implements ReviewJobHandler {
  readonly jobs: ReviewJob[] = [];
  async run(job: ReviewJob): Promise<ReviewOutcome> {
    this.jobs.push(job);
    return "reviewed";
  }
}

/** Fast retries, so a transient failure's second attempt comes within the test. */
const TEST_QUEUE: QueueSettings = { concurrency: 4, installationConcurrency: 4, attempts: 3, backoffMs: 5 };

let key: string | null = null;

/**
 * Like `testProbot()`, with Octokit's throttling really off: Probot passes its own
 * throttle options over a plain `defaults({ throttle })` object, and the throttle's
 * 3 s spacing of comment posts would add up across tests.
 */
function fastProbot(): Probot {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return new Probot({
    appId: 123,
    privateKey: key,
    log: silentLog,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options["throttle"] as object | undefined), enabled: false },
    })),
  });
}

/**
 * Longview on the in-process queue, as `npm start` runs it without Redis:
 * the webhook handler queues the command, the worker runs it. `receive`
 * delivers a webhook and waits until the queue is idle; `queue.jobs` are the
 * review jobs that reached the worker. With `startWorker: false` nothing
 * runs until `startWorker()`.
 */
export async function appWith(options: { model?: boolean; startWorker?: boolean; github?: FakeGitHubHost } = {}) {
  const env = loadEnv(options.model ? { OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" } : {});
  const jobs = new InProcessQueue({ kinds: jobKinds, settings: TEST_QUEUE, log: silentLog, random: () => 0.5 });
  const reviews = new RecordedReviews();
  const probot = fastProbot();
  // The composition root builds the commands' side as in production; reviews are recorded, not run.
  const longview = compose(env, silentLog);
  const fake = options.github;
  await probot.load(createApp({ queue: jobs, github: fake ? () => fake : longview.github }));
  const { command } = fake
    ? { command: createCommandJobHandler({ github: () => Promise.resolve(fake), deps: longview.commands, queue: jobs }) }
    : longview.jobHandlers(async (id) => (await probot.auth(id)) as GitHub, jobs);
  const startWorker = () => jobs.startWorker({ review: reviews, command });
  if (options.startWorker !== false) startWorker();
  return {
    probot,
    jobs,
    queue: reviews,
    startWorker,
    async receive(event: { id: string; name: string; payload: unknown }): Promise<void> {
      await probot.receive(event as never);
      await jobs.idle();
    },
  };
}

/**
 * octo/shop in GitHub's in-memory stand-in: `main` at BASE, the pull
 * request's branch `feature` at HEAD with `files`, `.github/longview.yml`
 * when `config` is given, and the permissions of `access`.
 */
export function shop(
  options: { files?: FilesInput; config?: string; access?: Readonly<Record<string, AccessLevel>>; pull?: Partial<FakePullRequestInput> } = {},
) {
  const fake = new FakeGitHubHost({ botLogin: BOT });
  const repo = { owner: OWNER, repo: REPO };
  fake.addRepo(repo, { sha: BASE, ...(options.config !== undefined ? { config: options.config } : {}) });
  fake.push(repo, BRANCH, options.files ?? {}, "feature", HEAD);
  const ref = fake.addPullRequest(repo, { number: PR_NUMBER, head: BRANCH, title: "Ratios", author: "alice", ...options.pull });
  for (const [user, level] of Object.entries(options.access ?? {})) fake.setAccess(repo, user, level);
  return { fake, repo, ref };
}

/** Review comments as the REST API shows them (`longviewComment`, or a person's), put on the pull request. */
export function addComments(fake: FakeGitHubHost, comments: readonly unknown[]): void {
  for (const c of comments) {
    const comment = ReviewCommentSchema.parse(c);
    fake.addReviewComment({ owner: OWNER, repo: REPO, pullNumber: PR_NUMBER }, { ...comment, user: comment.user?.login ?? "ghost" });
  }
}

/**
 * One of Longview's finding comments as the review posts it (the whole finding in its marker). `anchoredTo`: the
 * text of the line it was anchored to, which finds it again after lines move.
 */
export function longviewComment(id: number, overrides: Partial<PlacedFinding> & { path: string; line: number; anchoredTo?: string }) {
  const { anchoredTo, ...rest } = overrides;
  const placed: PlacedFinding = { ...finding(rest), placement: "inline", placementNote: null };
  const fingerprint = createHash("sha256").update(String(id)).digest("hex").slice(0, 16);
  return {
    id,
    body: formatFindingComment({ ...placed, fingerprint, anchor: anchoredTo === undefined ? null : anchorHash(anchoredTo) }),
    user: { login: BOT, type: "Bot" },
    path: overrides.path,
    line: overrides.line,
    original_line: overrides.line,
    start_line: null,
    side: "RIGHT",
    subject_type: "line",
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r${id}`,
    pull_request_url: `https://api.github.com${repoPath}/pulls/${PR_NUMBER}`,
  };
}

export function reviewReplyEvent(body: string, inReplyTo: number, sender = alice) {
  return {
    name: "pull_request_review_comment" as const,
    payload: {
      action: "created",
      installation: { id: 42 },
      repository,
      sender,
      pull_request: pullRequest(),
      comment: {
        id: 900,
        body,
        user: sender,
        path: "src/calc.js",
        line: 3,
        in_reply_to_id: inReplyTo,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r900`,
      },
    },
  };
}

export function conversationEvent(body: string, sender = alice) {
  return {
    name: "issue_comment" as const,
    payload: {
      action: "created",
      installation: { id: 42 },
      repository,
      sender,
      issue: { number: PR_NUMBER, state: "open", pull_request: { url: `https://api.github.com${repoPath}/pulls/${PR_NUMBER}` } },
      comment: { id: 800, body, user: sender, html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-800` },
    },
  };
}

/** Every request nock answered, with its JSON body (nock calls body predicates more than once, so bodies are taken from its events). */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

const requestLog: LoggedRequest[] = [];

export function api(): nock.Scope {
  const scope = nock(GITHUB_API);
  scope.on("request", (_req: unknown, interceptor: { method: string; path: string }, body: string) => {
    requestLog.push({
      method: interceptor.method.toUpperCase(),
      path: String(interceptor.path).split("?")[0]!,
      body: body ? (JSON.parse(body) as unknown) : undefined,
    });
  });
  return scope;
}

/** What Longview sent, by kind. */
export class Captured {
  private readonly from = requestLog.length;

  private bodies(method: string, path: RegExp): unknown[] {
    return requestLog
      .slice(this.from)
      .filter((r) => r.method === method && path.test(r.path))
      .map((r) => r.body);
  }

  /** The answers as people read them: without the hidden answer marker that ends each one. */
  get replies(): string[] {
    return this.rawReplies.map((body) => body.replace(/\n\n<!-- longview:answer key=[0-9a-f]{16} -->$/, ""));
  }
  get rawReplies(): string[] {
    return this.bodies("POST", /\/(replies|issues\/\d+\/comments)$/).map((b) => (b as { body: string }).body);
  }
  get commits(): unknown[] {
    return this.bodies("POST", /\/git\/commits$/);
  }
  get refUpdates(): unknown[] {
    return this.bodies("PATCH", /\/git\/refs\//);
  }
}

/** Installation token, the 👀 reaction on the command's comment, and the config (absent unless given). */
export function mockCommandStart(source: { kind: "issue" | "review"; commentId: number }, config?: string): void {
  api()
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .post(`${repoPath}/${source.kind === "issue" ? "issues" : "pulls"}/comments/${source.commentId}/reactions`)
    .reply(201, { id: 1, content: "eyes" });
  mockConfig(config);
}

/**
 * `.github/longview.yml`; when the repository has none, Probot's config plugin looks in the owner's `.github`
 * repository, which here turns the CI loop after a fix off: these tests mock every GitHub call, and the loop
 * (tested on the simulator) would add its own, and a deadline job that keeps the queue busy.
 */
export function mockConfig(config?: string): void {
  const scope = api()
    .get(`${repoPath}/contents/.github%2Flongview.yml`)
    .reply(config === undefined ? 404 : 200, config ?? { message: "Not Found" });
  if (config === undefined) scope.get(`/repos/${OWNER}/.github/contents/.github%2Flongview.yml`).reply(200, "fix:\n  followCi: false\n");
}

export function mockPermission(user: string, permission: string, roleName = permission): void {
  api()
    .get(`${repoPath}/collaborators/${user}/permission`)
    .reply(200, { permission, role_name: roleName, user: { login: user } });
}

export function mockIdentity(): void {
  api().get("/app").reply(200, { id: 123, slug: "longview", name: "Longview" });
}

export function mockPull(overrides: Record<string, unknown> = {}): void {
  api().get(`${repoPath}/pulls/${PR_NUMBER}`).reply(200, pullRequest(overrides));
}

/** The head commit, its recursive tree and the blobs of `files`. */
export function mockHeadFiles(commit: string, tree: string, files: Record<string, { text: string; blob: string; mode?: string }>): void {
  const scope = api()
    .get(`${repoPath}/git/commits/${commit}`)
    .reply(200, { sha: commit, tree: { sha: tree }, parents: [] })
    .get(`${repoPath}/git/trees/${tree}`)
    .query({ recursive: "true" })
    .reply(200, {
      sha: tree,
      truncated: false,
      tree: [
        { path: "src", mode: "040000", type: "tree", sha: sha("9") },
        ...Object.entries(files).map(([path, f]) => ({ path, mode: f.mode ?? "100644", type: "blob", sha: f.blob, size: Buffer.byteLength(f.text) })),
      ],
    });
  for (const f of Object.values(files)) {
    scope
      .get(`${repoPath}/git/blobs/${f.blob}`)
      .reply(200, { sha: f.blob, content: Buffer.from(f.text).toString("base64"), encoding: "base64", size: f.text.length });
  }
}

export function mockBranchAt(commit: string): void {
  api()
    .get(`${repoPath}/git/ref/heads%2F${BRANCH}`)
    .reply(200, { ref: `refs/heads/${BRANCH}`, object: { sha: commit, type: "commit" } });
}

export function mockReplies(where: { thread: number } | "conversation"): void {
  const path = where === "conversation" ? `${repoPath}/issues/${PR_NUMBER}/comments` : `${repoPath}/pulls/${PR_NUMBER}/comments/${where.thread}/replies`;
  api().post(path).reply(201, { id: 7000 });
}

export function newCaptured(): Captured {
  return new Captured();
}
