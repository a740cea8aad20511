import { pullNamed, repoNamed } from "./repo-lookup.js";
import type { StateReader } from "./simulator-types.js";
import type { SimState } from "./state.js";
import { checkRunView, checkSuiteView, issueCommentView, reactionView, reviewCommentView, reviewView, threadView } from "./state-views.js";

/** `sim.state`: typed snapshots of what the app under test did. */
export function createStateReader(state: SimState): StateReader {
  return {
    reviews: (repo, n) => state.reviews.filter((r) => r.repo === repoNamed(state, repo) && r.pullNumber === n).map((r) => reviewView(state, r)),
    reviewComments: (repo, n) =>
      state.reviewComments.filter((c) => c.repo === repoNamed(state, repo) && c.pullNumber === n).map((c) => reviewCommentView(state, c)),
    threads: (repo, n) => state.threads.filter((t) => t.repo === repoNamed(state, repo) && t.pullNumber === n).map((t) => threadView(state, t)),
    issueComments: (repo, n) => state.issueComments.filter((c) => c.repo === repoNamed(state, repo) && c.issueNumber === n).map(issueCommentView),
    reactions: () => state.reactions.map(reactionView),
    checkRuns: (repo, sha) => state.checkRuns.filter((r) => r.repo === repoNamed(state, repo) && (sha === undefined || r.headSha === sha)).map(checkRunView),
    checkSuites: (repo, sha) =>
      state.checkSuites.filter((s) => s.repo === repoNamed(state, repo) && (sha === undefined || s.headSha === sha)).map((s) => checkSuiteView(state, s)),
    pullRequest(repo, n) {
      const pull = pullNamed(state, repo, n);
      return { headSha: pull.headSha, headRef: pull.headRef, baseRef: pull.baseRef, draft: pull.draft, state: pull.state };
    },
    async commits(repo, branch) {
      const git = repoNamed(state, repo).git;
      const tip = await git.branchTip(branch);
      if (!tip) return [];
      const shas = (await git.commitsBetween(null, tip)).reverse();
      const commits = await Promise.all(shas.map((sha) => git.readCommit(sha)));
      return commits.flatMap((c) => (c ? [{ sha: c.sha, message: c.message.replace(/\n$/, ""), parents: c.parents }] : []));
    },
    async fileAt(repo, ref, path) {
      const file = await repoNamed(state, repo).git.fileAt(ref, path);
      return file ? file.content.toString("utf8") : null;
    },
    branchTip: (repo, branch) => repoNamed(state, repo).git.branchTip(branch),
  };
}
