import { nodeId, isoTime } from "../render/urls.js";
import type { Caller } from "../router.js";
import type { PullRecord, RepoRecord, ReviewCommentRecord, ThreadRecord, UserRecord } from "../state.js";
import type { World } from "../world.js";
import { baseTip, pullFacts } from "../pull-facts.js";
import { GqlFieldError, type GqlObject } from "./execute.js";
import { commit, gitObject } from "./git-objects.js";

/**
 * The slice of GitHub's GraphQL schema a reviewer needs: a pull request's
 * review threads (with their first comments' database ids) and
 * resolve/unresolve; the pull request's own fields, its reviews' count, its
 * commits and their check suites; git objects by expression or id
 * (git-objects.ts). Connections demand `first` or `last` (at most 100) as
 * GitHub does.
 */

export function graphqlRoots(world: World, caller: Caller): { query: GqlObject; mutation: GqlObject } {
  return {
    query: {
      typename: "Query",
      fields: {
        repository: (args) => {
          const owner = String(args["owner"] ?? "");
          const name = String(args["name"] ?? "");
          const repo = world.state.repo(owner, name);
          if (!repo || (repo.private && !covers(caller, repo))) {
            throw new GqlFieldError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, "NOT_FOUND");
          }
          return repository(world, repo);
        },
      },
    },
    mutation: {
      typename: "Mutation",
      fields: {
        resolveReviewThread: (args) => setResolved(world, caller, args, true),
        unresolveReviewThread: (args) => setResolved(world, caller, args, false),
      },
    },
  };
}

export function threadNodeId(thread: ThreadRecord): string {
  return `PRRT_${Buffer.from(`thread:${thread.id}`).toString("base64url")}`;
}

function repository(world: World, repo: RepoRecord): GqlObject {
  return {
    typename: "Repository",
    fields: {
      id: () => nodeId("Repository", repo.id),
      databaseId: () => repo.id,
      name: () => repo.name,
      nameWithOwner: () => repo.fullName,
      object: (args) => gitObject(world, repo, args, connection),
      pullRequest: (args) => {
        const pull = world.state.pull(repo, Number(args["number"]));
        if (!pull) throw new GqlFieldError(`Could not resolve to a PullRequest with the number of ${String(args["number"])}.`, "NOT_FOUND");
        return pullRequest(world, pull);
      },
    },
  };
}

function pullRequest(world: World, pull: PullRecord): GqlObject {
  return {
    typename: "PullRequest",
    fields: {
      id: () => nodeId("PullRequest", pull.id),
      databaseId: () => pull.id,
      number: () => pull.number,
      title: () => pull.title,
      // GraphQL's body is never null: an empty description is "".
      body: () => pull.body ?? "",
      state: () => (pull.state === "open" ? "OPEN" : "CLOSED"),
      isDraft: () => pull.draft,
      merged: () => false,
      changedFiles: async () => (await pullFacts(world, pull)).changedFiles,
      additions: async () => (await pullFacts(world, pull)).additions,
      deletions: async () => (await pullFacts(world, pull)).deletions,
      maintainerCanModify: () => pull.maintainerCanModify,
      author: () => account(pull.user),
      headRefOid: () => pull.headSha,
      headRefName: () => pull.headRef,
      headRepository: () => repository(world, pull.headRepo),
      baseRefOid: () => baseTip(pull),
      baseRefName: () => pull.baseRef,
      baseRef: async () => {
        const tip = await pull.repo.git.branchTip(pull.baseRef);
        if (!tip) return null;
        return { typename: "Ref", fields: { name: () => pull.baseRef, target: () => commit(world, pull.repo, tip, connection) } };
      },
      reviews: (args) => {
        const reviews = world.state.reviews.filter((r) => r.repo === pull.repo && r.pullNumber === pull.number);
        return connection("PullRequestReviewConnection", "reviews", reviews, args, (r) => ({
          typename: "PullRequestReview",
          fields: { databaseId: () => r.id, body: () => r.body, author: () => account(r.user) },
        }));
      },
      commits: async (args) => {
        const git = pull.repo.git;
        const mergeBase = (await git.mergeBase(await baseTip(pull), pull.headSha)) ?? null;
        const shas = await git.commitsBetween(mergeBase, pull.headSha);
        return connection("PullRequestCommitConnection", "commits", shas, args, (sha) => ({
          typename: "PullRequestCommit",
          fields: { commit: () => commit(world, pull.repo, sha, connection) },
        }));
      },
      reviewThreads: (args) => {
        const threads = world.state.threads.filter((t) => t.repo === pull.repo && t.pullNumber === pull.number);
        return connection("PullRequestReviewThreadConnection", "reviewThreads", threads, args, (t) => thread(world, t));
      },
    },
  };
}

function thread(world: World, record: ThreadRecord): GqlObject {
  const comments = () => world.state.reviewComments.filter((c) => c.threadId === record.id && c.repo === record.repo);
  const root = () => comments()[0];
  return {
    typename: "PullRequestReviewThread",
    fields: {
      id: () => threadNodeId(record),
      isResolved: () => record.isResolved,
      isOutdated: () => false,
      isCollapsed: () => record.isResolved,
      path: () => root()?.path ?? null,
      line: () => root()?.line ?? null,
      startLine: () => root()?.startLine ?? null,
      diffSide: () => root()?.side ?? "RIGHT",
      subjectType: () => (root()?.subjectType === "file" ? "FILE" : "LINE"),
      resolvedBy: () => (record.resolvedBy ? actor(record.resolvedBy.login) : null),
      comments: (args) => connection("PullRequestReviewCommentConnection", "comments", comments(), args, (c) => comment(world, c)),
    },
  };
}

function comment(world: World, record: ReviewCommentRecord): GqlObject {
  return {
    typename: "PullRequestReviewComment",
    fields: {
      id: () => nodeId("PullRequestReviewComment", record.id),
      databaseId: () => record.id,
      body: () => record.body,
      path: () => record.path,
      line: () => record.line,
      url: () => world.urls.html(`/${record.repo.fullName}/pull/${record.pullNumber}#discussion_r${record.id}`),
      createdAt: () => isoTime(record.createdAt),
      author: () => actor(record.user.login),
    },
  };
}

function actor(login: string): GqlObject {
  return { typename: "Bot", fields: { login: () => login } };
}

/** An account as GraphQL names it: an app's bot by its slug, without REST's `[bot]`. */
function account(user: UserRecord): GqlObject {
  const login = user.type === "Bot" ? user.login.replace(/\[bot\]$/, "") : user.login;
  return { typename: user.type, fields: { login: () => login } };
}

function connection<T>(
  typename: string,
  field: string,
  items: readonly T[],
  args: Readonly<Record<string, unknown>>,
  toNode: (item: T) => GqlObject,
): GqlObject {
  const first = args["first"];
  const last = args["last"];
  if (typeof first !== "number" && typeof last !== "number") {
    throw new GqlFieldError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      "MISSING_PAGINATION_BOUNDARIES",
    );
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (typeof value === "number" && (value < 0 || value > 100)) {
      throw new GqlFieldError(
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
        "EXCESSIVE_PAGINATION",
      );
    }
  }
  const after = typeof args["after"] === "string" ? decodeCursor(args["after"]) + 1 : 0;
  let start = after;
  let end = items.length;
  if (typeof first === "number") end = Math.min(end, start + first);
  if (typeof last === "number") start = Math.max(start, end - last);
  const window = items.slice(start, end).map((item, i) => ({ item, index: start + i }));
  return {
    typename,
    fields: {
      totalCount: () => items.length,
      nodes: () => window.map(({ item }) => toNode(item)),
      edges: () =>
        window.map(({ item, index }) => ({
          typename: `${typename.replace(/Connection$/, "")}Edge`,
          fields: { cursor: () => encodeCursor(index), node: () => toNode(item) },
        })),
      pageInfo: () => ({
        typename: "PageInfo",
        fields: {
          hasNextPage: () => end < items.length,
          hasPreviousPage: () => start > 0,
          startCursor: () => (window.length > 0 ? encodeCursor(start) : null),
          endCursor: () => (window.length > 0 ? encodeCursor(end - 1) : null),
        },
      }),
    },
  };
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString("base64");
}

function decodeCursor(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : -1;
}

function setResolved(world: World, caller: Caller, args: Readonly<Record<string, unknown>>, resolved: boolean): GqlObject {
  const input = args["input"];
  const threadId = input !== null && typeof input === "object" ? (input as Record<string, unknown>)["threadId"] : undefined;
  const record = world.state.threads.find((t) => threadNodeId(t) === threadId);
  if (!record) throw new GqlFieldError(`Could not resolve to a node with the global id of '${String(threadId)}'`, "NOT_FOUND");
  if (!covers(caller, record.repo) || (caller.kind === "installation" && caller.readOnly === true)) {
    throw new GqlFieldError("Resource not accessible by integration", "FORBIDDEN");
  }
  record.isResolved = resolved;
  record.resolvedBy = resolved ? world.app.bot : null;
  const clientMutationId = input !== null && typeof input === "object" ? ((input as Record<string, unknown>)["clientMutationId"] ?? null) : null;
  return {
    typename: resolved ? "ResolveReviewThreadPayload" : "UnresolveReviewThreadPayload",
    fields: { thread: () => thread(world, record), clientMutationId: () => clientMutationId },
  };
}

function covers(caller: Caller, repo: RepoRecord): boolean {
  return caller.kind === "installation" && caller.installationId === repo.installationId;
}
