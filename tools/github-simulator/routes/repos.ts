import { GitHubApiError, notFound } from "../errors.js";
import type { GitRepository } from "../git-repo.js";
import { paginate } from "../paginate.js";
import { renderContentFile, renderDirectoryEntry } from "../render/contents.js";
import { renderDiffEntry } from "../render/diff-entry.js";
import { renderCommit } from "../render/git.js";
import { renderRepository } from "../render/repository.js";
import { readableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { RepoRecord } from "../state.js";
import type { World } from "../world.js";

/** Repository metadata, file contents, archives and comparisons between commits. */
export function repoRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const openPulls = world.state.pulls.filter((p) => p.repo === repo && p.state === "open").length;
        return { status: 200, json: renderRepository(world.urls, repo, openPulls) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/contents/{path}",
      auth: "installation",
      greedy: ["path"],
      async handle({ params, caller, query, headers }) {
        const repo = readableRepo(world, caller, params);
        const ref = query.get("ref") || repo.defaultBranch;
        const commit = await repo.git.resolveCommit(ref);
        if (!commit) throw new GitHubApiError(404, { message: `No commit found for the ref ${ref}` });
        const path = (params["path"] ?? "").replace(/^\/+|\/+$/g, "");
        const [entry] = path === "" ? [] : await repo.git.listTree(commit, { path });
        if (path !== "" && (!entry || entry.path !== path)) throw notFound();
        if (path === "" || entry?.type === "tree") {
          const listing = await repo.git.listTree(commit, { path: path === "" ? undefined : `${path}/` });
          return { status: 200, json: listing.map((e) => renderDirectoryEntry(world.urls, repo, ref, e)) };
        }
        if (!entry || entry.type !== "blob") throw notFound();
        const content = await repo.git.run(["cat-file", "blob", entry.sha]);
        if (wantsRaw(headers.accept)) return { status: 200, raw: content, contentType: "text/plain; charset=utf-8" };
        return { status: 200, json: renderContentFile(world.urls, repo, ref, entry, content) };
      },
    },
    {
      // GitHub answers with a redirect to its archive host (codeload; `/_codeload/` on GitHub Enterprise Server).
      method: "GET",
      template: "/repos/{owner}/{repo}/tarball/{ref}",
      auth: "installation",
      greedy: ["ref"],
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const sha = await repo.git.resolveCommit(params["ref"] || repo.defaultBranch);
        if (!sha) throw notFound();
        return { status: 302, headers: { location: world.urls.html(`/_codeload/${repo.fullName}/legacy.tar.gz/${sha}`) } };
      },
    },
    {
      // Not an API route: where the redirect above leads. Same origin, so the client keeps its token.
      method: "GET",
      template: "/_codeload/{owner}/{repo}/legacy.tar.gz/{sha}",
      auth: "installation",
      inOpenApi: false,
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const sha = params["sha"] ?? "";
        if ((await repo.git.objectType(sha)) !== "commit") throw notFound();
        // GitHub's layout: everything under `owner-repo-sha7/`.
        const prefix = `${repo.owner.login}-${repo.name}-${sha.slice(0, 7)}/`;
        const archive = await repo.git.run(["archive", "--format=tar.gz", `--prefix=${prefix}`, sha]);
        return {
          status: 200,
          raw: archive,
          contentType: "application/x-gzip",
          headers: { "content-disposition": `attachment; filename=${prefix.slice(0, -1)}.tar.gz` },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/compare/{basehead}",
      auth: "installation",
      greedy: ["basehead"],
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const [baseSpec, headSpec] = splitBasehead(params["basehead"] ?? "");
        const base = await resolveInNetwork(world, repo, baseSpec);
        const head = await resolveInNetwork(world, repo, headSpec);
        const mergeBase = await repo.git.mergeBase(base, head);
        if (!mergeBase) throw new GitHubApiError(404, { message: `No common ancestor between ${baseSpec} and ${headSpec}.` });
        return { status: 200, ...(await comparison(world, repo, { base, head, mergeBase, basehead: `${baseSpec}...${headSpec}` }, query)) };
      },
    },
  ];
}

async function comparison(world: World, repo: RepoRecord, range: { base: string; head: string; mergeBase: string; basehead: string }, query: URLSearchParams) {
  const git = repo.git;
  const ahead = await git.commitsBetween(range.mergeBase, range.head);
  const behind = await git.commitsBetween(range.mergeBase, range.base);
  const paged = query.has("page") || query.has("per_page");
  const selfUrl = world.urls.api(`/repos/${repo.fullName}/compare/${range.basehead}`);
  const page = paged ? paginate(ahead, query, selfUrl) : { items: ahead.slice(0, 250), headers: {} };
  const diff = await world.diffs.diff(git, range.mergeBase, range.head);
  const commitJson = async (sha: string) => {
    const commit = await git.readCommit(sha);
    if (!commit) throw new Error(`commit ${sha} vanished from ${repo.fullName}`);
    return renderCommit(world.urls, repo, commit);
  };
  const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const html = world.urls.html(`/${repo.fullName}/compare/${range.basehead}`);
  return {
    headers: page.headers,
    json: {
      url: selfUrl,
      html_url: html,
      permalink_url: world.urls.html(`/${repo.fullName}/compare/${repo.owner.login}:${range.base.slice(0, 7)}...${repo.owner.login}:${range.head.slice(0, 7)}`),
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: await commitJson(range.base),
      merge_base_commit: await commitJson(range.mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: await Promise.all(page.items.map(commitJson)),
      files: diff.files.slice(0, world.limits.maxCompareFiles).map((f) => renderDiffEntry(world.urls, repo, range.head, f, world.limits.maxPatchBytes)),
    },
  };
}

function splitBasehead(basehead: string): [string, string] {
  const at = basehead.indexOf("...");
  if (at <= 0 || at + 3 >= basehead.length) throw notFound();
  return [basehead.slice(0, at), basehead.slice(at + 3)];
}

/** A ref, sha or `owner:ref` (a fork in the same network, whose objects the parent can read). */
async function resolveInNetwork(world: World, repo: RepoRecord, spec: string): Promise<string> {
  const colon = spec.indexOf(":");
  let git: GitRepository = repo.git;
  let ref = spec;
  if (colon > 0) {
    const owner = spec.slice(0, colon);
    ref = spec.slice(colon + 1);
    const network = rootOf(repo);
    const other = [...world.state.repos.values()].find((r) => r.owner.login.toLowerCase() === owner.toLowerCase() && rootOf(r) === network);
    if (!other) throw notFound();
    git = other.git;
  }
  const sha = await git.resolveCommit(ref);
  if (!sha) throw notFound();
  return sha;
}

function rootOf(repo: RepoRecord): RepoRecord {
  let current = repo;
  while (current.parent) current = current.parent;
  return current;
}

function wantsRaw(accept: string | undefined): boolean {
  return /application\/vnd\.github(?:\.v3)?\.raw/i.test(accept ?? "");
}
