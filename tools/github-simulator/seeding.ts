import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { GitRepository } from "./git-repo.js";
import { networkRoot, repoNamed } from "./repo-lookup.js";
import type { CreatedPullRequest, CreatePullRequestInput, CreateRepoInput, PushResult, SimRepo } from "./simulator-types.js";
import type { PullRecord, RepoRecord, UserRecord } from "./state.js";
import type { CommitInput, RepoName, SimulatorEvent } from "./types.js";
import { pullRequestPayload } from "./webhook-payloads.js";
import type { World } from "./world.js";

/**
 * What happens on GitHub outside the app: repositories created and forked,
 * developers pushing, pull requests opened. Each returns the webhook events
 * GitHub would send, and emits them to subscribed handlers.
 */

const DEFAULT_AUTHOR = { name: "Simulated Developer", email: "developer@example.com" };

export async function createRepo(world: World, workDir: string, input: CreateRepoInput): Promise<SimRepo> {
  const { state } = world;
  if (state.repo(input.owner, input.name)) throw new Error(`simulator: repository ${input.owner}/${input.name} exists`);
  const owner = state.user(input.owner, input.ownerType ?? "User");
  const defaultBranch = input.defaultBranch ?? "main";
  const git = await GitRepository.init(join(workDir, `${owner.id}-${input.name}.git`), defaultBranch);
  const commits = input.commits ?? [{ message: "Initial commit", files: { "README.md": `# ${input.name}\n` } }];
  await git.importCommits(
    defaultBranch,
    null,
    commits.map((c) => toImport(c, state.now())),
  );
  for (const [branch, spec] of Object.entries(input.branches ?? {})) {
    const from = await git.resolveCommit(spec.from ?? defaultBranch);
    if (!from) throw new Error(`simulator: branch ${branch} starts from unknown ref ${spec.from ?? defaultBranch}`);
    await git.updateRef(`refs/heads/${branch}`, from, null);
    await git.importCommits(
      branch,
      from,
      spec.commits.map((c) => toImport(c, state.now())),
    );
  }
  return addRepo(world, {
    owner,
    name: input.name,
    defaultBranch,
    private: input.private ?? false,
    git,
    parent: null,
    installationId: input.installed === false ? null : installationFor(world, owner),
  });
}

export async function forkRepo(world: World, workDir: string, name: RepoName, input: { owner: string; name?: string; installed?: boolean }): Promise<SimRepo> {
  const parent = repoNamed(world.state, name);
  const owner = world.state.user(input.owner);
  const forkName = input.name ?? parent.name;
  if (world.state.repo(owner.login, forkName)) throw new Error(`simulator: repository ${owner.login}/${forkName} exists`);
  const git = await GitRepository.fork(parent.git, join(workDir, `${owner.id}-${forkName}.git`));
  return addRepo(world, {
    owner,
    name: forkName,
    defaultBranch: parent.defaultBranch,
    private: parent.private,
    git,
    parent,
    installationId: input.installed === true ? installationFor(world, owner) : null,
  });
}

export async function createBranch(world: World, name: RepoName, branch: string, from: string): Promise<string> {
  const git = repoNamed(world.state, name).git;
  const sha = await git.resolveCommit(from);
  if (!sha) throw new Error(`simulator: unknown ref ${from} in ${name}`);
  await git.updateRef(`refs/heads/${branch}`, sha, null);
  return sha;
}

export async function createPullRequest(world: World, input: CreatePullRequestInput): Promise<CreatedPullRequest> {
  const { state } = world;
  const repo = repoNamed(state, input.repo);
  const [headOwner, headBranch] = input.head.includes(":") ? (input.head.split(":", 2) as [string, string]) : [repo.owner.login, input.head];
  const headRepo = [...state.repos.values()].find((r) => r.owner.login.toLowerCase() === headOwner.toLowerCase() && networkRoot(r) === networkRoot(repo));
  if (!headRepo) throw new Error(`simulator: no repository of ${headOwner} in the network of ${input.repo}`);
  const headSha = await headRepo.git.branchTip(headBranch);
  const baseSha = await repo.git.branchTip(input.base);
  if (!headSha || !baseSha) throw new Error(`simulator: missing branch (head ${input.head}: ${headSha ?? "none"}, base ${input.base}: ${baseSha ?? "none"})`);
  if ((await repo.git.commitsBetween(baseSha, headSha)).length === 0) throw new Error(`simulator: no commits between ${input.base} and ${input.head}`);
  const number = repo.nextNumber++;
  // GitHub keeps every pull request's head in the base repository, forks included.
  await repo.git.updateRef(`refs/pull/${number}/head`, headSha);
  const createdAt = state.now();
  const pull: PullRecord = {
    id: state.nextId("pull"),
    number,
    repo,
    headRepo,
    headRef: headBranch,
    baseRef: input.base,
    headSha,
    title: input.title,
    body: input.body ?? null,
    draft: input.draft ?? false,
    state: "open",
    user: state.user(input.user ?? headRepo.owner.login),
    maintainerCanModify: input.maintainerCanModify ?? headRepo !== repo,
    createdAt,
    updatedAt: createdAt,
  };
  state.pulls.push(pull);
  const payload = await pullRequestPayload(world, pull, "opened", pull.user);
  const event: SimulatorEvent = { name: "pull_request", id: randomUUID(), payload };
  world.events.emit(event);
  await world.events.pullOpened(pull);
  return { number, headSha, pullRequest: payload["pull_request"] as Record<string, unknown>, payload, event };
}

export async function pushCommit(world: World, name: RepoName, branch: string, commit: CommitInput, sender?: string): Promise<PushResult> {
  const repo = repoNamed(world.state, name);
  const before = await repo.git.branchTip(branch);
  if (!before) throw new Error(`simulator: no branch ${branch} in ${name} (create it with createBranch)`);
  const [sha = ""] = await repo.git.importCommits(branch, before, [toImport(commit, world.state.now())]);
  const pusher = world.state.user(sender ?? repo.owner.login);
  return { sha, events: await world.events.branchMoved(world, repo, branch, before, sha, pusher) };
}

/** Rewrites a branch's history: the branch now points at `commit` made on top of `onto` (a ref or sha), like `git push --force`. */
export async function forcePush(world: World, name: RepoName, branch: string, onto: string, commit: CommitInput, sender?: string): Promise<PushResult> {
  const repo = repoNamed(world.state, name);
  const before = await repo.git.branchTip(branch);
  const base = await repo.git.resolveCommit(onto);
  if (!before || !base) throw new Error(`simulator: no branch ${branch} or ref ${onto} in ${name}`);
  const [sha = ""] = await repo.git.importCommits(branch, base, [toImport(commit, world.state.now())], { force: true });
  const pusher = world.state.user(sender ?? repo.owner.login);
  return { sha, events: await world.events.branchMoved(world, repo, branch, before, sha, pusher) };
}

export function installationOf(world: World, owner: string): number | null {
  const account = world.state.users.get(owner.toLowerCase());
  if (!account) return null;
  return [...world.state.installations.values()].find((i) => i.account.id === account.id)?.id ?? null;
}

function installationFor(world: World, account: UserRecord): number {
  const existing = installationOf(world, account.login);
  if (existing !== null) return existing;
  const id = world.state.nextId("installation");
  world.state.installations.set(id, { id, account, createdAt: world.state.now() });
  return id;
}

function addRepo(world: World, input: Pick<RepoRecord, "owner" | "name" | "defaultBranch" | "private" | "git" | "parent" | "installationId">): SimRepo {
  const now = world.state.now();
  const record: RepoRecord = {
    ...input,
    id: world.state.nextId("repo"),
    fullName: `${input.owner.login}/${input.name}`,
    createdAt: now,
    pushedAt: now,
    permissions: new Map(),
    nextNumber: 1,
  };
  world.state.repos.set(record.fullName.toLowerCase(), record);
  return {
    fullName: record.fullName as RepoName,
    owner: record.owner.login,
    name: record.name,
    id: record.id,
    defaultBranch: record.defaultBranch,
    installationId: record.installationId,
    gitDir: record.git.dir,
  };
}

function toImport(commit: CommitInput, date: Date) {
  return { message: commit.message, files: commit.files, author: commit.author ?? DEFAULT_AUTHOR, date, ...(commit.modes ? { modes: commit.modes } : {}) };
}
