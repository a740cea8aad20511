import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { config } from "@probot/octokit-plugin-config";
import type { Logger } from "pino";
import type { AppIdentity } from "./app-identity.js";
import type { GitHub } from "./client.js";
import { statusOf } from "./errors.js";
import { createGitHubHost, type GitHubHost } from "./host.js";
import { installRequestPolicy, throttleOptions, type GitHubClientPolicy } from "./octokit.js";
import { UserSchema } from "./schemas.js";

/**
 * GitHub as a token holder (a personal access token, or GitHub Actions'
 * `GITHUB_TOKEN`) rather than as the App's installation: the CLI's
 * `review --pr`. The same host, the same plugins and the same request policy
 * as the app; only the authentication and the identity differ.
 */

/** What GitHub Actions' `GITHUB_TOKEN` posts as (an installation token of the `github-actions` app). */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

const TokenOctokit = Octokit.plugin(retry, throttling, config);

export interface TokenHostOptions {
  readonly token: string;
  /** The REST API root: `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  readonly baseUrl: string;
  readonly policy: GitHubClientPolicy;
  readonly userAgent: string;
  /** Who the token posts as, when known ahead (`LONGVIEW_BOT_LOGIN`); otherwise asked of GitHub. */
  readonly login?: string;
  readonly log: Logger;
}

export function createTokenGitHubHost(options: TokenHostOptions): GitHubHost {
  const { log } = options;
  const octokit: GitHub = new TokenOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    throttle: throttleOptions(options.policy),
    // Octokit logs every failed request as an error, expected ones too (a missing config file is a 404):
    // the failure reaches whoever made the request as a GitHubError, and is reported there.
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.debug(message),
    },
  });
  installRequestPolicy(octokit, options.policy.secrets ?? []);
  return createGitHubHost(octokit, tokenIdentity(options.login));
}

/**
 * The token's login: its user (`GET /user`) for a personal access token. An
 * installation token may not read `/user` (403): in GitHub Actions that is
 * `GITHUB_TOKEN`, which posts as `github-actions[bot]`.
 */
export function tokenIdentity(known?: string): AppIdentity {
  let login: Promise<string> | null = known ? Promise.resolve(known) : null;
  return {
    botLogin(gh) {
      login ??= gh.rest.users.getAuthenticated().then(
        ({ data }) => UserSchema.parse(data).login,
        (error: unknown) => {
          if (statusOf(error) === 403) return ACTIONS_BOT_LOGIN;
          login = null;
          throw error;
        },
      );
      return login;
    },
  };
}
