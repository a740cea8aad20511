import type { Logger } from "pino";
import { z } from "zod";
import { compose } from "../compose.js";
import { DEFAULT_REPO_CONFIG } from "../config/repo-config.js";
import { gatePolicyOf } from "../review/gate.js";
import { reviewPullRequest } from "../review/review-pull-request.js";
import type { ReviewOptions } from "./args.js";
import { UsageError, type CliIo } from "./io.js";
import { checkWritable, loadCliEnv } from "./prepare-change.js";
import { pullHost, tokenGitHub } from "./pull-host.js";
import { apiUrlFor, describeTarget, type PullTarget } from "./pull-target.js";
import { finishReview, gatePolicy } from "./review-command.js";
import { readToolInfo } from "./version.js";
import { resolve } from "node:path";

/**
 * `longview review --pr`: a pull request on GitHub through the app's own
 * review (`reviewPullRequest`), as the holder of a token. A dry run prints
 * the review and writes nothing to GitHub; `--post` posts it as the app
 * would (one review, with Longview's markers, and the check run when the
 * token may create one). Report and exit code as for a local change.
 */

const TokenEnv = z.object({
  GITHUB_TOKEN: z.string().trim().min(1).optional(),
  GITHUB_API_URL: z.string().optional(),
  LONGVIEW_BOT_LOGIN: z.string().trim().min(1).optional(),
});

export async function pullReviewCommand(options: ReviewOptions & { readonly pull: PullTarget }, io: CliIo, log: Logger): Promise<number> {
  const env = loadCliEnv(io.env);
  const github = TokenEnv.parse({
    GITHUB_TOKEN: io.env.GITHUB_TOKEN || undefined,
    GITHUB_API_URL: io.env.GITHUB_API_URL,
    LONGVIEW_BOT_LOGIN: io.env.LONGVIEW_BOT_LOGIN || undefined,
  });
  const label = describeTarget(options.pull);
  if (github.GITHUB_TOKEN === undefined) {
    throw new UsageError(`--pr needs a GitHub token to read ${label}: set GITHUB_TOKEN (a personal access token, or the workflow's GITHUB_TOKEN)`);
  }
  if (options.output !== undefined) await checkWritable(resolve(io.cwd, options.output));
  // The repository's gate is known only after the review; a --fail-on that cannot be read must not wait for it (or follow a posted review).
  gatePolicy(options.failOn, gatePolicyOf(DEFAULT_REPO_CONFIG));
  const baseUrl = apiUrlFor(options.pull, github.GITHUB_API_URL);
  const tool = await readToolInfo();

  const reviewEnv = options.budget === undefined ? env : { ...env, LONGVIEW_WINDOW_TOKENS: options.budget };
  const longview = compose(reviewEnv, log);
  const host = pullHost(
    tokenGitHub(env, {
      token: github.GITHUB_TOKEN,
      baseUrl,
      userAgent: `longview-cli/${tool.version}`,
      ...(github.LONGVIEW_BOT_LOGIN ? { login: github.LONGVIEW_BOT_LOGIN } : {}),
      log,
    }),
    {
      post: options.post,
      mayRefuse: new Set(["check run"]),
      refused: () => void io.stderr.write(`longview: note: the token may not create check runs (403); the review is posted without one\n`),
    },
  );

  const progress = io.stderr.isTTY === true && !options.quiet;
  if (progress) io.stderr.write(`longview: reviewing ${label} (${baseUrl})${options.post ? "" : ", dry run"}\n`);
  const ref = { owner: options.pull.owner, repo: options.pull.repo, pullNumber: options.pull.pullNumber };
  // A dry run is a whole review (`force`): what was said before must not hide findings from the report. A posted one
  // is the app's incremental review, so running it twice does not repeat a comment.
  const outcome = await reviewPullRequest(host.host, { ref, force: !options.post, ...(io.signal ? { signal: io.signal } : {}) }, longview.review, log).finally(
    () => longview.close(),
  );
  if (outcome.kind === "skipped") throw new UsageError(`${label} was not reviewed: ${outcome.reason}`);
  const changeSet = host.changeSet();
  if (changeSet === null) throw new Error(`${label}: the review finished without fetching the change`);
  if (!options.quiet && options.post) {
    io.stderr.write(host.posted() ? `longview: posted the review on ${label}\n` : `longview: nothing new to post on ${label}\n`);
  }
  return finishReview({ result: outcome.result, config: outcome.config, inputNotices: host.configProblems(), changeSet }, options, io);
}
