import { z } from "zod";
import { UsageError } from "./io.js";

/**
 * `--pr` values: `OWNER/REPO#N`, or a pull request's web URL on github.com or
 * on a GitHub Enterprise Server host. Pure: the API root is decided from the
 * value and `GITHUB_API_URL`, both given.
 */

export interface PullTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  /** The web origin the URL named (`https://ghe.example.com`), or null for `OWNER/REPO#N` and github.com. */
  readonly enterpriseOrigin: string | null;
}

export const GITHUB_API = "https://api.github.com";

// GitHub's rules: owners are alphanumeric with inner hyphens (at most 39); repository names at most 100 of [A-Za-z0-9._-].
const Owner = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/);
const Repo = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/)
  .refine((name) => name !== "." && name !== "..");
const PullNumber = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(2_147_483_647));

const PullParts = z.object({ owner: Owner, repo: Repo, pullNumber: PullNumber });

const EXPECTED = "expected OWNER/REPO#N or a pull request URL such as https://github.com/OWNER/REPO/pull/N";

export function parsePullTarget(value: string): PullTarget {
  const shorthand = /^([^/#\s]+)\/([^/#\s]+)#(\d+)$/.exec(value);
  if (shorthand) return { ...parts(value, shorthand[1], shorthand[2], shorthand[3]), enterpriseOrigin: null };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid --pr "${value}" (${EXPECTED})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`invalid --pr "${value}": not an http(s) URL`);
  if (url.username || url.password) throw new UsageError(`invalid --pr "${value}": credentials do not belong in the URL (use GITHUB_TOKEN)`);
  // `/OWNER/REPO/pull/N`, optionally followed by a tab of the pull request page (`/files`, `/commits`, …).
  const path = /^\/([^/]+)\/([^/]+)\/pulls?\/(\d+)(?:\/[^/]*)*\/?$/.exec(url.pathname);
  if (!path) throw new UsageError(`invalid --pr "${value}": not a pull request URL (${EXPECTED})`);
  const host = url.hostname.toLowerCase();
  const onGitHub = host === "github.com" || host === "www.github.com";
  return { ...parts(value, path[1], path[2], path[3]), enterpriseOrigin: onGitHub ? null : url.origin };
}

function parts(value: string, owner: string | undefined, repo: string | undefined, pullNumber: string | undefined): Omit<PullTarget, "enterpriseOrigin"> {
  const result = PullParts.safeParse({ owner, repo: repo?.replace(/\.git$/, ""), pullNumber });
  if (!result.success) {
    const field = result.error.issues[0]?.path[0];
    const what = field === "owner" ? "owner" : field === "repo" ? "repository name" : "pull request number";
    throw new UsageError(`invalid --pr "${value}": bad ${what} (${EXPECTED})`);
  }
  return result.data;
}

/**
 * The REST API root for a target: `GITHUB_API_URL` when set (GitHub Actions sets it, on
 * github.com and on GitHub Enterprise Server alike), else the Enterprise layout of the URL's host
 * (`https://HOST/api/v3`), else api.github.com.
 */
export function apiUrlFor(target: PullTarget, githubApiUrl: string | undefined): string {
  if (githubApiUrl !== undefined && githubApiUrl !== "") {
    const parsed = z.url({ protocol: /^https?$/ }).safeParse(githubApiUrl);
    if (!parsed.success) throw new UsageError(`invalid GITHUB_API_URL "${githubApiUrl}" (expected an http(s) URL such as https://ghe.example.com/api/v3)`);
    return githubApiUrl.replace(/\/+$/, "");
  }
  return target.enterpriseOrigin === null ? GITHUB_API : `${target.enterpriseOrigin}/api/v3`;
}

export function describeTarget(target: PullTarget): string {
  return `${target.owner}/${target.repo}#${target.pullNumber}`;
}
