import nock from "nock";
import { parseFilePatch } from "../../src/diff/parse-unified-diff.js";
import { GITHUB_API } from "./github.js";

/**
 * A small stateful GitHub for one pull request, over nock: the REST routes a
 * review uses, what Longview wrote (reviews, comments, check runs), every
 * request it made, and injectable faults (status, headers, body, how many
 * times). For fault and hostile-input tests that need to see each request;
 * the simulator (tools/github-simulator) is the full-fidelity GitHub.
 */

export const BOT_LOGIN = "longview[bot]";

export interface FakeFile {
  readonly filename: string;
  readonly status?: "added" | "modified" | "removed" | "renamed";
  readonly patch: string;
  /** Head content (served as the blob). */
  readonly content: string;
}

export interface FakeComment {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  readonly path: string;
  readonly line?: number | null;
  readonly inReplyTo?: number | null;
}

export interface FakeReview {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  readonly event?: string;
  readonly commit_id?: string;
  readonly comments?: readonly { path: string; line: number; side: string; start_line?: number; body: string }[];
}

export interface Fault {
  readonly method: string;
  /** Matched against the path (with query). */
  readonly path: RegExp;
  readonly status: number;
  readonly times?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** The request is carried out, then the fault is answered (a gateway error after GitHub did the write). */
  readonly afterWrite?: boolean;
}

export interface FakePullRequestInput {
  readonly owner?: string;
  readonly repo?: string;
  readonly number?: number;
  readonly installationId?: number;
  readonly headSha?: string;
  readonly baseSha?: string;
  readonly title?: string;
  readonly body?: string;
  readonly author?: string;
  readonly files: readonly FakeFile[];
  readonly priorReviews?: readonly FakeReview[];
  readonly priorComments?: readonly FakeComment[];
  readonly faults?: readonly Fault[];
  /** Review comments GitHub answers 422 for (besides lines outside the diff). */
  readonly refuse?: (comment: { path: string; line: number }) => boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
}

export interface CheckRunRecord {
  readonly id: number;
  readonly created: Record<string, unknown>;
  readonly updates: Record<string, unknown>[];
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly installationId: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly requests: RecordedRequest[] = [];
  /** Submitted reviews (with an `event`), prior ones included. */
  readonly reviews: FakeReview[] = [];
  readonly comments: FakeComment[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  /** Pending reviews created by bisection probes and not deleted. */
  readonly pending = new Set<number>();
  private readonly faults: { fault: Fault; left: number }[];
  private nextId = 1000;

  constructor(readonly input: FakePullRequestInput) {
    this.owner = input.owner ?? "Codertocat";
    this.repo = input.repo ?? "Hello-World";
    this.number = input.number ?? 2;
    this.installationId = input.installationId ?? 42;
    this.headSha = input.headSha ?? "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    this.baseSha = input.baseSha ?? "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
    this.reviews.push(...(input.priorReviews ?? []));
    this.comments.push(...(input.priorComments ?? []));
    this.faults = (input.faults ?? []).map((fault) => ({ fault, left: fault.times ?? 1 }));
  }

  /** Installs the interceptors; `nock.cleanAll()` removes them. */
  install(): this {
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      nock(GITHUB_API)
        .persist()
        .intercept(() => true, method)
        .reply(async (request) => {
          const url = new URL(request.url);
          const path = `${url.pathname}${url.search}`;
          const text = await request.text();
          const body: unknown = text === "" ? null : safeJson(text);
          const [status, data, headers] = this.route(method, url, body);
          this.requests.push({ method, path, body, status });
          return [status, JSON.stringify(data), { "content-type": "application/json", ...headers }];
        });
    }
    return this;
  }

  get lastCheckRun(): { status: unknown; conclusion: unknown; output: Record<string, unknown> } | null {
    const run = this.checkRuns.at(-1);
    if (!run) return null;
    const merged: Record<string, unknown> = { ...run.created };
    for (const u of run.updates) Object.assign(merged, u);
    return { status: merged.status, conclusion: merged.conclusion, output: (merged.output ?? {}) as Record<string, unknown> };
  }

  /** Reviews Longview submitted in this test (not the prior ones). */
  get posted(): FakeReview[] {
    return this.reviews.filter((r) => r.user === BOT_LOGIN && r.event !== undefined);
  }

  /** Every string Longview sent to GitHub in a write request. */
  writtenText(): string {
    return this.requests
      .filter((r) => r.method !== "GET" && !r.path.includes("/access_tokens"))
      .map((r) => JSON.stringify(r.body))
      .join("\n");
  }

  private route(method: string, url: URL, body: unknown): [number, unknown, Record<string, string>?] {
    const path = url.pathname;
    const fault = this.faults.find((f) => f.left > 0 && f.fault.method === method && f.fault.path.test(`${path}${url.search}`));
    if (fault) {
      fault.left--;
      if (fault.fault.afterWrite) this.handle(method, url, body);
      return [fault.fault.status, fault.fault.body ?? { message: `Simulated ${fault.fault.status}` }, fault.fault.headers ? { ...fault.fault.headers } : {}];
    }
    return this.handle(method, url, body);
  }

  private handle(method: string, url: URL, body: unknown): [number, unknown, Record<string, string>?] {
    const path = url.pathname;
    const repo = `/repos/${this.owner}/${this.repo}`;
    const pull = `${repo}/pulls/${this.number}`;
    const b = (body ?? {}) as Record<string, unknown>;

    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [201, { token: `ghs_${this.nextId++}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} }];
    }
    if (method === "GET" && path === "/app") return [200, { id: 123, slug: "longview", name: "Longview" }];
    if (method === "GET" && path === pull) return [200, this.pullRequest()];
    if (method === "GET" && path === `${pull}/files`) {
      return [
        200,
        this.input.files.map((f, i) => ({
          sha: `blob${i}`,
          filename: f.filename,
          status: f.status ?? "modified",
          additions: count(f.patch, "+"),
          deletions: count(f.patch, "-"),
          changes: count(f.patch, "+") + count(f.patch, "-"),
          patch: f.patch,
        })),
      ];
    }
    const blob = new RegExp(`^${repo}/git/blobs/blob(\\d+)$`).exec(path);
    if (method === "GET" && blob) {
      const file = this.input.files[Number(blob[1])];
      return file
        ? [200, { sha: `blob${blob[1]}`, content: Buffer.from(file.content).toString("base64"), encoding: "base64", size: file.content.length }]
        : [404, { message: "Not Found" }];
    }
    if (method === "GET" && path.startsWith(`${repo}/contents/`)) return [404, { message: "Not Found" }];
    if (method === "POST" && path === `${repo}/check-runs`) {
      const id = this.nextId++;
      this.checkRuns.push({ id, created: b, updates: [] });
      return [201, { id, ...b }];
    }
    const check = new RegExp(`^${repo}/check-runs/(\\d+)$`).exec(path);
    if (method === "PATCH" && check) {
      const run = this.checkRuns.find((r) => r.id === Number(check[1]));
      if (!run) return [404, { message: "Not Found" }];
      run.updates.push(b);
      return [200, { id: run.id }];
    }
    if (method === "GET" && new RegExp(`^${repo}/commits/[^/]+/check-runs$`).test(path)) {
      const runs = this.checkRuns.map((r) => ({ id: r.id, name: r.created.name, status: this.lastStatus(r), head_sha: r.created.head_sha }));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (method === "GET" && path === `${pull}/reviews`) {
      return [
        200,
        this.reviews
          .filter((r) => r.event !== "PENDING")
          .map((r) => ({
            id: r.id,
            user: { login: r.user, type: r.user.endsWith("[bot]") ? "Bot" : "User" },
            body: r.body,
            state: "COMMENTED",
            commit_id: r.commit_id ?? this.headSha,
          })),
      ];
    }
    if (method === "GET" && path === `${pull}/comments`) {
      return [
        200,
        this.comments.map((c) => ({
          id: c.id,
          user: { login: c.user, type: c.user.endsWith("[bot]") ? "Bot" : "User" },
          body: c.body,
          path: c.path,
          line: c.line ?? null,
          in_reply_to_id: c.inReplyTo ?? undefined,
        })),
      ];
    }
    if (method === "POST" && path === `${pull}/reviews`) return this.createReview(b);
    if (method === "DELETE" && new RegExp(`^${pull}/reviews/\\d+$`).test(path)) {
      this.pending.delete(Number(path.split("/").at(-1)));
      return [200, {}];
    }
    if (method === "POST" && path === `${pull}/comments`) {
      if (!this.input.files.some((f) => f.filename === b.path)) return [422, { message: "Validation Failed", errors: [{ field: "path", code: "invalid" }] }];
      const id = this.nextId++;
      this.comments.push({ id, user: BOT_LOGIN, body: String(b.body), path: String(b.path), line: null });
      return [201, { id }];
    }
    if (method === "POST" && path === "/graphql")
      return [200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } } }];
    return [404, { message: `Not Found (fake GitHub has no ${method} ${path})` }];
  }

  private createReview(b: Record<string, unknown>): [number, unknown] {
    const comments = (b.comments ?? []) as { path: string; line: number; side: "LEFT" | "RIGHT"; start_line?: number; body: string }[];
    for (const c of comments) {
      const file = this.input.files.find((f) => f.filename === c.path);
      if (this.input.refuse?.(c)) return [422, { message: "Unprocessable Entity", errors: ["Line could not be resolved"] }];
      const lineMapOk =
        file &&
        parseFilePatch({ path: file.filename, previousPath: null, status: "modified", patch: file.patch }).hunks.some((h) =>
          h.lines.some((l) => (c.side === "LEFT" ? l.oldLine : l.newLine) === c.line),
        );
      if (!lineMapOk) return [422, { message: "Unprocessable Entity", errors: ["Line could not be resolved"] }];
    }
    const id = this.nextId++;
    if (b.event === undefined) {
      this.pending.add(id);
      return [200, { id, state: "PENDING" }];
    }
    this.reviews.push({ id, user: BOT_LOGIN, body: String(b.body ?? ""), event: String(b.event), commit_id: String(b.commit_id), comments });
    for (const c of comments) this.comments.push({ id: this.nextId++, user: BOT_LOGIN, body: c.body, path: c.path, line: c.line });
    return [200, { id, state: b.event === "APPROVE" ? "APPROVED" : "COMMENTED" }];
  }

  private lastStatus(run: CheckRunRecord): unknown {
    let status = run.created.status;
    for (const u of run.updates) if (u.status !== undefined) status = u.status;
    return status;
  }

  pullRequest(): Record<string, unknown> {
    const repoJson = { id: 1, name: this.repo, full_name: `${this.owner}/${this.repo}`, owner: { login: this.owner, type: "User" } };
    return {
      number: this.number,
      title: this.input.title ?? "A change",
      body: this.input.body ?? "",
      state: "open",
      draft: false,
      merged: false,
      user: { login: this.input.author ?? "mallory", type: "User" },
      changed_files: this.input.files.length,
      additions: this.input.files.reduce((n, f) => n + count(f.patch, "+"), 0),
      deletions: this.input.files.reduce((n, f) => n + count(f.patch, "-"), 0),
      head: { sha: this.headSha, ref: "feature", repo: repoJson },
      base: { sha: this.baseSha, ref: "main", repo: repoJson },
    };
  }

  /** A `pull_request.opened` payload for this pull request. */
  openedPayload(): Record<string, unknown> {
    return {
      action: "opened",
      number: this.number,
      pull_request: this.pullRequest(),
      repository: { id: 1, name: this.repo, full_name: `${this.owner}/${this.repo}`, owner: { login: this.owner, type: "User" } },
      sender: { login: this.input.author ?? "mallory", type: "User" },
      installation: { id: this.installationId },
    };
  }
}

function count(patch: string, marker: "+" | "-"): number {
  return patch.split("\n").filter((l) => l.startsWith(marker) && !l.startsWith(`${marker}${marker}${marker} `)).length;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
