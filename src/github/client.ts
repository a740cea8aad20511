import type { ProbotOctokit } from "probot";

/** The authenticated installation client (Probot's Octokit: REST, pagination, retry and throttling plugins). */
export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface PullRef {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}

/** HTTP status of an Octokit RequestError, or null for anything else. */
export function httpStatus(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return null;
}
