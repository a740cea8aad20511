import type { LoadedRepoConfig } from "../config/repo-config.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { CheckRunHandle } from "../github/check-run.js";
import { statusOf } from "../github/errors.js";
import type { GitHubHost } from "../github/host.js";
import type { CliOutput } from "./io.js";

/**
 * The GitHub host the app's review runs against when the CLI reviews a pull
 * request. It keeps what the report needs (the change set, the config's
 * problems) and decides what reaches GitHub: a dry run writes nothing; with
 * `--post` everything goes through, except that a token which may not create
 * check runs (a personal access token: only Apps may) costs the check run,
 * not the review.
 */

export interface PullHost {
  readonly host: GitHubHost;
  /** The change the review fetched (null until it did). */
  changeSet(): ChangeSet | null;
  /** Problems in the repository's `.github/longview.yml`. */
  configProblems(): readonly string[];
  /** Whether a review was posted. */
  posted(): boolean;
}

/** A check run that exists only here: for a dry run, and when GitHub refuses the token one. */
const localCheckRun: CheckRunHandle = { id: 0, progress: async () => {}, complete: async () => {} };

export function pullHost(github: GitHubHost, mode: { readonly post: boolean; readonly stderr: CliOutput }): PullHost {
  let changeSet: ChangeSet | null = null;
  let loaded: LoadedRepoConfig | null = null;
  let posted = false;
  const readOnly: Partial<GitHubHost> = {
    openCheckRun: async () => localCheckRun,
    attachCheckRun: () => localCheckRun,
    cancelSupersededRuns: async () => 0,
    postReview: async () => ({ reviewId: 0, inline: 0, fileLevel: 0, rerouted: [] }),
    markFixed: async () => {},
  };
  const host: GitHubHost = {
    ...github,
    changeSet: async (ref, pr, options) => (changeSet = await github.changeSet(ref, pr, options)),
    repoConfig: async (repo, log) => (loaded = await github.repoConfig(repo, log)),
    ...(mode.post
      ? {
          openCheckRun: async (repo, input) => {
            try {
              return await github.openCheckRun(repo, input);
            } catch (error) {
              if (statusOf(error) !== 403) throw error;
              mode.stderr.write(`longview: note: the token may not create check runs (403); the review is posted without one\n`);
              return localCheckRun;
            }
          },
          postReview: async (input) => {
            const review = await github.postReview(input);
            posted = true;
            return review;
          },
        }
      : readOnly),
  };
  return { host, changeSet: () => changeSet, configProblems: () => loaded?.problems ?? [], posted: () => posted };
}
