import type { ProbotOctokit } from "probot";

/** The authenticated installation client (Probot's Octokit: REST, pagination, retry and throttling plugins). */
export type GitHub = InstanceType<typeof ProbotOctokit>;

export type { PullRef } from "../domain/pull-request.js";

/** HTTP status of a failed GitHub request (errors.ts), or null for anything else. */
export { statusOf as httpStatus } from "./errors.js";
