import type { Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseRepoConfig, REPO_CONFIG_PATH, type LoadedRepoConfig } from "../config/repo-config.js";
import type { GitHub, PullRef } from "./client.js";
import { PullRequestSchema, type PullRequest } from "./schemas.js";

/**
 * What a review job reads before it starts, in one GraphQL query: the pull
 * request, the repository's and the organisation's `.github/longview.yml`,
 * the base branch's AGENTS.md, whether Longview said anything yet (any
 * review) and whether the head has a check run by Longview's name. Mapped onto
 * the REST shapes the review reads (`PullRequest`, `LoadedRepoConfig`); each
 * part the query cannot settle as the REST reads would is left to them
 * (null/undefined below), and a query that fails as a whole leaves all of it
 * to them (`readJobStart` returns null).
 */

export interface JobStart {
  readonly pr: PullRequest;
  /** The configuration as Probot's config plugin reads it; null: read it through the plugin (`_extends`, a file that is not plain YAML text). */
  readonly config: LoadedRepoConfig | null;
  /** The base's AGENTS.md (null: none); undefined: not asked for, or the base branch moved past the pull request's base — read it at the base sha. */
  readonly agentsMd: string | null | undefined;
  /** Nobody reviewed the pull request yet, so Longview's state is empty (every review comment belongs to a review). */
  readonly unreviewed: boolean;
  /** The check-run name proven absent from the head commit (no app's run has it); null when not proven. */
  readonly noRunsNamed: string | null;
}

export interface JobStartOptions {
  /** The check run's name as the query looks for it (the configuration may rename it: then the proof is not used). */
  readonly checkName: string;
  /** Whether AGENTS.md is wanted (a review with a model). */
  readonly guidelines: boolean;
  readonly log: Logger;
}

const GUIDELINES_PATH = "AGENTS.md";

export const JOB_START_QUERY = `query LongviewJobStart($owner: String!, $name: String!, $number: Int!, $checkName: String!, $guidelines: Boolean!, $orgConfig: Boolean!) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    pullRequest(number: $number) {
      number title body state isDraft merged changedFiles additions deletions maintainerCanModify
      author { __typename login }
      headRefOid headRefName headRepository { nameWithOwner }
      baseRefOid baseRefName
      baseRef { target { __typename ... on Commit { oid file(path: "${GUIDELINES_PATH}") @include(if: $guidelines) { object { ...text } } } } }
      reviews(first: 1) { totalCount }
      commits(last: 1) {
        nodes { commit { oid checkSuites(first: 100) { totalCount nodes { checkRuns(first: 1, filterBy: { checkName: $checkName, checkType: ALL }) { totalCount } } } } }
      }
    }
    config: object(expression: "HEAD:${REPO_CONFIG_PATH}") { ...text }
  }
  org: repository(owner: $owner, name: ".github") @include(if: $orgConfig) {
    config: object(expression: "HEAD:${REPO_CONFIG_PATH}") { ...text }
  }
}
fragment text on GitObject { __typename ... on Blob { text isBinary isTruncated byteSize } }`;

/** A git object at a path: a Blob carries its text; anything else (a directory, a submodule) only its type. */
const GitObject = z
  .object({
    __typename: z.string(),
    text: z.string().nullable().optional(),
    isBinary: z.boolean().nullable().optional(),
    isTruncated: z.boolean().optional(),
    byteSize: z.number().int().nonnegative().optional(),
  })
  .nullable();
type GitObject = z.infer<typeof GitObject>;

const Count = z.object({ totalCount: z.number().int().nonnegative() });

export const JobStartDataSchema = z.object({
  repository: z.object({
    nameWithOwner: z.string(),
    pullRequest: z.object({
      number: z.number().int().positive(),
      title: z.string(),
      body: z.string().nullable(),
      state: z.enum(["OPEN", "CLOSED", "MERGED"]),
      isDraft: z.boolean(),
      merged: z.boolean(),
      changedFiles: z.number().int().nonnegative(),
      additions: z.number().int().nonnegative(),
      deletions: z.number().int().nonnegative(),
      maintainerCanModify: z.boolean(),
      author: z.object({ __typename: z.string(), login: z.string() }).nullable(),
      headRefOid: z.string(),
      headRefName: z.string(),
      headRepository: z.object({ nameWithOwner: z.string() }).nullable(),
      baseRefOid: z.string(),
      baseRefName: z.string(),
      baseRef: z
        .object({
          target: z.object({ __typename: z.string(), oid: z.string().optional(), file: z.object({ object: GitObject }).nullable().optional() }).nullable(),
        })
        .nullable(),
      reviews: Count,
      commits: z.object({
        nodes: z.array(
          z
            .object({
              commit: z.object({
                oid: z.string(),
                checkSuites: Count.extend({ nodes: z.array(z.object({ checkRuns: Count.nullable() }).nullable()) }).nullable(),
              }),
            })
            .nullable(),
        ),
      }),
    }),
    config: GitObject,
  }),
  org: z.object({ config: GitObject }).nullable().optional(),
});
export type JobStartData = z.infer<typeof JobStartDataSchema>;

/** GraphQL's answer with errors (octokit's `GraphqlResponseError`): what failed, and the data GitHub still sent. */
const ResponseErrorSchema = z.object({
  name: z.literal("GraphqlResponseError"),
  errors: z.array(z.object({ type: z.string().optional(), path: z.array(z.union([z.string(), z.number()])).optional() })),
  data: z.unknown(),
});

let warned = false;

export async function readJobStart(gh: GitHub, ref: PullRef, options: JobStartOptions): Promise<JobStart | null> {
  const orgConfig = ref.repo !== ".github";
  const variables = { owner: ref.owner, name: ref.repo, number: ref.pullNumber, checkName: options.checkName, guidelines: options.guidelines, orgConfig };
  let raw: unknown;
  try {
    raw = await gh.graphql(JOB_START_QUERY, variables);
  } catch (error) {
    raw = partialData(error);
    if (raw === undefined) return fallBack(options.log, error);
  }
  const parsed = JobStartDataSchema.safeParse(raw);
  if (!parsed.success) return fallBack(options.log, parsed.error);
  return jobStartFrom(parsed.data, { ...options, orgConfig });
}

/**
 * The data of an answer whose errors are only ones the REST reads would also meet without failing: the
 * organisation has no `.github` repository (Probot's plugin then finds no organisation-wide file either), or the
 * head's check suites are not readable (a token without `checks: read`: the check runs are then not proven absent).
 * Undefined for any other failure.
 */
export function partialData(error: unknown): unknown {
  const parsed = ResponseErrorSchema.safeParse(error);
  if (!parsed.success || parsed.data.errors.length === 0) return undefined;
  const tolerated = parsed.data.errors.every((e) => {
    const path = e.path ?? [];
    if (e.type === "NOT_FOUND" && path.length === 1 && path[0] === "org") return true;
    return path[0] === "repository" && path[1] === "pullRequest" && path[2] === "commits" && path.includes("checkSuites");
  });
  return tolerated ? parsed.data.data : undefined;
}

function fallBack(log: Logger, error: unknown): null {
  // GraphQL off (an Enterprise Server without it), down after retries, or answering in another shape: the REST reads
  // do the same job. Said once a process, not once a job.
  if (!warned) log.warn({ err: error }, "the job-start GraphQL query failed; reading through REST");
  else log.debug({ err: error }, "the job-start GraphQL query failed; reading through REST");
  warned = true;
  return null;
}

export function jobStartFrom(data: JobStartData, options: Omit<JobStartOptions, "log"> & { readonly orgConfig: boolean }): JobStart {
  const pull = data.repository.pullRequest;
  const pr = pullRequestFrom(data);
  const base = pull.baseRef?.target;
  // The branch's tip is the pull request's base only while nothing was merged into it since: otherwise read at the base sha.
  const agentsMd = options.guidelines && base?.oid === pull.baseRefOid && base.file !== undefined ? guidelinesFrom(base.file) : undefined;
  const head = pull.commits.nodes.at(-1)?.commit;
  const suites = head?.oid === pull.headRefOid ? head.checkSuites : null;
  const noRuns =
    suites !== null &&
    suites !== undefined &&
    suites.totalCount === suites.nodes.length &&
    suites.nodes.every((s) => s !== null && s.checkRuns !== null && s.checkRuns.totalCount === 0);
  return {
    pr,
    config: configFrom(data.repository.config, options.orgConfig ? (data.org?.config ?? null) : null),
    agentsMd,
    unreviewed: pull.reviews.totalCount === 0,
    noRunsNamed: noRuns ? options.checkName : null,
  };
}

/** The pull request as `GET /repos/{owner}/{repo}/pulls/{n}` has it (the fields Longview reads). */
export function pullRequestFrom(data: JobStartData): PullRequest {
  const pull = data.repository.pullRequest;
  const author = pull.author;
  return PullRequestSchema.parse({
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state === "OPEN" ? "open" : "closed",
    draft: pull.isDraft,
    merged: pull.merged || pull.state === "MERGED",
    // GraphQL names an app by its slug; REST by `slug[bot]`, of type Bot.
    user: author ? { login: author.__typename === "Bot" ? `${author.login}[bot]` : author.login, type: author.__typename } : null,
    changed_files: pull.changedFiles,
    additions: pull.additions,
    deletions: pull.deletions,
    maintainer_can_modify: pull.maintainerCanModify,
    head: { sha: pull.headRefOid, ref: pull.headRefName, repo: pull.headRepository ? { full_name: pull.headRepository.nameWithOwner } : null },
    base: { sha: pull.baseRefOid, ref: pull.baseRefName, repo: { full_name: data.repository.nameWithOwner } },
  });
}

function guidelinesFrom(file: { object: GitObject } | null): string | null | undefined {
  if (file === null) return null;
  const text = textOf(file.object);
  return text === MISSING ? null : text === UNUSABLE ? undefined : text;
}

const MISSING = Symbol("missing");
const UNUSABLE = Symbol("unusable");

/** A file's whole text; MISSING when there is no file; UNUSABLE when it is something else (a directory, binary, cut short). */
function textOf(object: GitObject): string | typeof MISSING | typeof UNUSABLE {
  if (object === null) return MISSING;
  if (object.__typename !== "Blob" || object.isBinary === true || object.isTruncated !== false || typeof object.text !== "string") return UNUSABLE;
  if (object.byteSize !== undefined && Buffer.byteLength(object.text) !== object.byteSize) return UNUSABLE;
  return object.text;
}

/**
 * The configuration as `readRepoConfig` (Probot's plugin) would load it: the repository's file, else the
 * organisation's `.github` repository's; null when only the plugin can say (`_extends`, a directory, YAML that
 * does not parse into settings — the plugin's own messages report those).
 */
export function configFrom(own: GitObject, org: GitObject): LoadedRepoConfig | null {
  const ownText = textOf(own);
  const chosen = ownText === MISSING ? textOf(org) : ownText;
  if (chosen === UNUSABLE) return null;
  // Neither file: the plugin composes no settings at all.
  if (chosen === MISSING) return parseRepoConfig({});
  let value: unknown;
  try {
    // As the plugin parses it: an empty file is no settings.
    value = (parseYaml(chosen, { logLevel: "error" }) as unknown) || {};
  } catch {
    return null;
  }
  if (typeof value === "string") return null;
  if (typeof value === "object" && value !== null && "_extends" in value) return null;
  // The plugin composes its files into one object (`Object.assign`): a list becomes indexed keys, a number nothing.
  return parseRepoConfig(Object.assign({}, value));
}
