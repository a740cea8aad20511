import { z } from "zod";

/**
 * What GitHub Actions hands the step, read once and validated: the event,
 * the token, where the API and the step's files are, and the action's
 * inputs (`INPUT_*`, as the runner names them for JavaScript actions;
 * action.yml passes them the same way). An empty variable is an input left
 * unset, as the runner passes one.
 */

const set = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const ActionEnvSchema = z.object({
  GITHUB_EVENT_NAME: set.pipe(z.string({ error: "GITHUB_EVENT_NAME is not set: run Longview's action in a GitHub Actions workflow" })),
  GITHUB_EVENT_PATH: set.pipe(z.string({ error: "GITHUB_EVENT_PATH is not set: run Longview's action in a GitHub Actions workflow" })),
  GITHUB_TOKEN: set.pipe(z.string({ error: "no GitHub token: pass `github-token` (the default is the workflow's GITHUB_TOKEN)" })),
  GITHUB_REPOSITORY: set.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "GITHUB_REPOSITORY is not OWNER/REPO")
      .optional(),
  ),
  GITHUB_API_URL: set.pipe(z.url({ protocol: /^https?$/, error: "GITHUB_API_URL is not an http(s) URL" }).default("https://api.github.com")),
  GITHUB_STEP_SUMMARY: set,
  GITHUB_OUTPUT: set,
  /** The gate instead of the repository's: `P1`, `P1:bug,security`, or `none` (the step never fails on findings). */
  INPUT_FAIL_ON: set,
  /** Who the token posts as, when not the workflow's token (a personal access token's user, another App's bot). */
  LONGVIEW_BOT_LOGIN: set,
  /** Set by the runner when debug logging is on: Longview logs its progress. */
  RUNNER_DEBUG: set,
});
export type ActionEnv = z.infer<typeof ActionEnvSchema>;

/** The process environment without empty variables: an action input left unset arrives empty, and means unset. */
export function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
}
