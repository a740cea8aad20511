import type { Logger } from "pino";
import { DEFAULT_REPO_CONFIG, REPO_CONFIG_PATH, parseRepoConfig, type LoadedRepoConfig } from "../config/repo-config.js";
import { httpStatus, type GitHub, type PullRef } from "./client.js";

/**
 * Reads `.github/longview.yml` from the default branch (as `context.config`
 * does: a pull request cannot change the rules it is reviewed by), through
 * Probot's config plugin so `_extends` works. A file that cannot be read or
 * parsed never stops the review: the problem is reported and defaults apply.
 */
export async function readRepoConfig(gh: GitHub, ref: Pick<PullRef, "owner" | "repo">, log: Logger): Promise<LoadedRepoConfig> {
  try {
    const { config } = await gh.config.get({ owner: ref.owner, repo: ref.repo, path: REPO_CONFIG_PATH });
    return parseRepoConfig(config);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "") : String(error);
    log.warn({ err: error }, "repository config unreadable; using defaults");
    return { config: DEFAULT_REPO_CONFIG, problems: [`${REPO_CONFIG_PATH} could not be read: ${message}. Using defaults.`] };
  }
}

/** The text of a file at a ref, or null when it does not exist. */
export async function readTextFile(gh: GitHub, ref: Pick<PullRef, "owner" | "repo">, path: string, at: string): Promise<string | null> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: ref.owner,
      repo: ref.repo,
      path,
      ref: at,
      mediaType: { format: "raw" },
    });
    return typeof data === "string" ? data : null;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}
