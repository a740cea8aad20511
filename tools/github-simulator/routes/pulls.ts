import { GitHubApiError } from "../errors.js";
import { paginate } from "../paginate.js";
import { pullDiff, pullFacts } from "../pull-facts.js";
import { renderDiffEntry } from "../render/diff-entry.js";
import { renderCommit } from "../render/git.js";
import { renderPullRequest } from "../render/pull-request.js";
import { findPull, readableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { World } from "../world.js";

/** A pull request, its files (GitHub's caps and pagination) and its commits. */
export function pullRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}",
      auth: "installation",
      async handle({ params, caller, headers }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        if (/application\/vnd\.github(?:\.v3)?\.diff/i.test(headers.accept ?? "")) {
          const { diff } = await pullDiff(world, pull);
          if (diff.files.length > world.limits.maxDiffFiles) throw diffTooLarge(`files (${world.limits.maxDiffFiles})`);
          if (diff.text.split("\n").length > 20_000) throw diffTooLarge("lines (20000)");
          return { status: 200, raw: diff.text, contentType: "application/vnd.github.diff; charset=utf-8" };
        }
        return { status: 200, json: renderPullRequest(world.urls, pull, await pullFacts(world, pull)) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const { diff, headSha } = await pullDiff(world, pull);
        const listed = diff.files.slice(0, world.limits.maxListedFiles);
        const page = paginate(listed, query, world.urls.api(`/repos/${repo.fullName}/pulls/${pull.number}/files`));
        return {
          status: 200,
          headers: page.headers,
          json: page.items.map((file) => renderDiffEntry(world.urls, repo, headSha, file, world.limits.maxPatchBytes)),
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const { mergeBase, headSha } = await pullDiff(world, pull);
        const shas = (await repo.git.commitsBetween(mergeBase, headSha)).slice(0, 250);
        const page = paginate(shas, query, world.urls.api(`/repos/${repo.fullName}/pulls/${pull.number}/commits`));
        const commits = await Promise.all(
          page.items.map(async (sha) => {
            const commit = await repo.git.readCommit(sha);
            if (!commit) throw new Error(`commit ${sha} vanished from ${repo.fullName}`);
            return renderCommit(world.urls, repo, commit);
          }),
        );
        return { status: 200, headers: page.headers, json: commits };
      },
    },
  ];
}

function diffTooLarge(what: string): GitHubApiError {
  return new GitHubApiError(406, {
    message: `Sorry, the diff exceeded the maximum number of ${what}. Consider using 'List pull requests files' API or locally cloning the repository instead.`,
    errors: [{ resource: "PullRequest", field: "diff", code: "too_large" }],
  });
}
