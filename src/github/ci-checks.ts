import { z } from "zod";
import { createRedactor, type Redactor } from "../redact/index.js";
import type { GitHub, PullRef } from "./client.js";
import { GitHubError, toGitHubError } from "./errors.js";
import { ByteTail, JOB_LOG_MAX_STREAMED_BYTES, JOB_LOG_TAIL_BYTES, cleanJobLog } from "./job-log.js";

/**
 * What a commit's CI (other apps' check runs, GitHub Actions above all) says,
 * read for a fix loop that must tell the failures it caused from the ones it
 * found. Everything read here is bounded (listings, output text, annotation
 * count, log bytes) and goes through the redactor: it may reach a model.
 * An App that was not granted `checks: read` or `actions: read` gets a result
 * that names the permission, not an error: the installation's owner decides
 * that, not a retry.
 */

type Repo = Pick<PullRef, "owner" | "repo">;

/** GitHub lists at most 1000 check runs for a ref; more than that is not a CI Longview can reason about. */
export const MAX_COMMIT_CHECKS = 1000;
/** Annotations read per check run: GitHub stores up to 50 per request and any number in all. */
export const MAX_CHECK_ANNOTATIONS = 50;
/** Characters kept of an output's summary and text (GitHub allows 65535 each). */
export const MAX_OUTPUT_CHARS = 8000;
/** Characters kept of an output's title and an annotation's title and message. */
export const MAX_SHORT_CHARS = 1000;

/** The app of GitHub Actions' check runs, whose id is also the job's id. */
export const ACTIONS_APP_SLUG = "github-actions";

export type CiPermission = "checks: read" | "actions: read";

/** The App was not granted what reading this takes (GitHub answered 403). */
export interface MissingPermission {
  readonly kind: "missing-permission";
  readonly permission: CiPermission;
}

export interface CheckOutput {
  readonly title: string | null;
  readonly summary: string | null;
  readonly text: string | null;
}

/** One check run of another app on a commit. */
export interface CommitCheck {
  readonly id: number;
  readonly name: string;
  /** The app's slug (`github-actions`, or another CI's). */
  readonly app: string;
  /** `queued`, `in_progress`, `completed` (and GitHub's `waiting`, `requested`, `pending`). */
  readonly status: string;
  /** Set once completed: `success`, `failure`, `timed_out`, `cancelled`, `action_required`, `neutral`, `skipped`, `stale`, `startup_failure`. */
  readonly conclusion: string | null;
  readonly detailsUrl: string | null;
  readonly output: CheckOutput;
}

export type CommitChecks =
  { readonly kind: "checks"; readonly checks: CommitCheck[]; /** GitHub had more than `MAX_COMMIT_CHECKS`. */ readonly truncated: boolean } | MissingPermission;

export interface CheckAnnotation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly level: string | null;
  readonly title: string | null;
  readonly message: string | null;
}

export type JobLog =
  /** The log's readable tail (see job-log.ts). */
  | { readonly kind: "log"; readonly text: string; readonly bytes: number; readonly truncated: boolean }
  /** Not a GitHub Actions check run: there is no job log. */
  | { readonly kind: "none" }
  /** GitHub has no log (any more): expired, deleted, or the job has not finished. */
  | { readonly kind: "gone"; readonly status: number }
  | MissingPermission;

export type CheckFailureDetails =
  | {
      readonly kind: "details";
      readonly output: CheckOutput;
      readonly annotations: CheckAnnotation[];
      /** The run has more annotations than `MAX_CHECK_ANNOTATIONS`. */
      readonly annotationsTruncated: boolean;
      readonly log: JobLog;
    }
  | MissingPermission;

const CheckRunSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  details_url: z.string().nullable().optional(),
  output: z.object({ title: z.string().nullable(), summary: z.string().nullable(), text: z.string().nullable().optional() }),
  // GitHub may omit the app of a run whose app was deleted.
  app: z.object({ slug: z.string().optional() }).nullable(),
});
const CheckRunPageSchema = z.object({ total_count: z.number().int(), check_runs: z.array(CheckRunSchema) });

const AnnotationSchema = z.object({
  path: z.string(),
  start_line: z.number().int(),
  end_line: z.number().int(),
  annotation_level: z.string().nullable(),
  title: z.string().nullable().optional(),
  message: z.string().nullable(),
});

/** Every other app's latest check run on `sha` (GitHub's `filter=latest`: a re-run replaces its attempt). */
export async function commitChecks(gh: GitHub, repo: Repo, sha: string, ownAppSlug: string): Promise<CommitChecks> {
  const redactor = createRedactor();
  const checks: CommitCheck[] = [];
  let listed = 0;
  let truncated = false;
  try {
    const pages = gh.paginate.iterator(gh.rest.checks.listForRef, { owner: repo.owner, repo: repo.repo, ref: sha, filter: "latest", per_page: 100 });
    for await (const page of pages) {
      // Octokit flattens the listing's array into `data` for paginated routes; the count is kept.
      const runs = z.array(CheckRunSchema).safeParse(page.data);
      const parsed = runs.success ? runs.data : CheckRunPageSchema.parse(page.data).check_runs;
      for (const run of parsed) {
        if (listed === MAX_COMMIT_CHECKS) {
          truncated = true;
          break;
        }
        listed++;
        const app = run.app?.slug ?? "";
        if (app === ownAppSlug) continue;
        checks.push({
          id: run.id,
          name: run.name,
          app,
          status: run.status,
          conclusion: run.conclusion,
          detailsUrl: run.details_url ?? null,
          output: boundedOutput(redactor, { title: run.output.title, summary: run.output.summary, text: run.output.text ?? null }),
        });
      }
      if (truncated) break;
    }
  } catch (error) {
    if (isForbidden(error)) return { kind: "missing-permission", permission: "checks: read" };
    throw toGitHubError(error);
  }
  return { kind: "checks", checks, truncated };
}

/** Why a check run failed, as far as GitHub says: its output, annotations and (for GitHub Actions) the job log's tail. */
export async function checkFailureDetails(gh: GitHub, repo: Repo, check: Pick<CommitCheck, "id" | "app">): Promise<CheckFailureDetails> {
  const redactor = createRedactor();
  let output: CheckOutput;
  const annotations: CheckAnnotation[] = [];
  let annotationsTruncated = false;
  try {
    // The listing's output may be older than the run's (it was read before the run completed).
    const { data } = await gh.rest.checks.get({ owner: repo.owner, repo: repo.repo, check_run_id: check.id });
    const run = CheckRunSchema.parse(data);
    output = boundedOutput(redactor, { title: run.output.title, summary: run.output.summary, text: run.output.text ?? null });
    const pages = gh.paginate.iterator(gh.rest.checks.listAnnotations, { owner: repo.owner, repo: repo.repo, check_run_id: check.id, per_page: 50 });
    for await (const page of pages) {
      for (const annotation of z.array(AnnotationSchema).parse(page.data)) {
        if (annotations.length === MAX_CHECK_ANNOTATIONS) {
          annotationsTruncated = true;
          break;
        }
        annotations.push({
          path: annotation.path,
          startLine: annotation.start_line,
          endLine: annotation.end_line,
          level: annotation.annotation_level,
          title: boundedText(redactor, annotation.title ?? null, MAX_SHORT_CHARS),
          message: boundedText(redactor, annotation.message, MAX_SHORT_CHARS),
        });
      }
      if (annotationsTruncated) break;
    }
  } catch (error) {
    if (isForbidden(error)) return { kind: "missing-permission", permission: "checks: read" };
    throw toGitHubError(error);
  }
  const log: JobLog = check.app === ACTIONS_APP_SLUG ? await jobLog(gh, repo, check.id) : { kind: "none" };
  return { kind: "details", output, annotations, annotationsTruncated, log };
}

/**
 * The tail of an Actions job's log. GitHub answers 302 to a short-lived
 * download URL; fetch follows it (dropping the token when it leaves GitHub's
 * origin, as the Fetch standard requires) and the body is streamed through
 * `ByteTail`, so at most `JOB_LOG_TAIL_BYTES` are kept and at most
 * `JOB_LOG_MAX_STREAMED_BYTES` read.
 */
export async function jobLog(gh: GitHub, repo: Repo, jobId: number): Promise<JobLog> {
  const read: { tail: Uint8Array; total: number; cut: boolean } = { tail: new Uint8Array(0), total: 0, cut: false };
  const tailFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok || response.body === null) return response;
    const tail = new ByteTail(JOB_LOG_TAIL_BYTES);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      tail.push(value);
      if (tail.total >= JOB_LOG_MAX_STREAMED_BYTES) {
        read.cut = true;
        await reader.cancel();
        break;
      }
    }
    read.tail = tail.bytes();
    read.total = tail.total;
    // Octokit reads the body again: hand it an empty one, the bytes are kept above.
    return new Response("", { status: response.status, headers: { "content-type": "text/plain; charset=utf-8" } });
  };
  try {
    await gh.rest.actions.downloadJobLogsForWorkflowRun({ owner: repo.owner, repo: repo.repo, job_id: jobId, request: { fetch: tailFetch } });
  } catch (error) {
    const failure = toGitHubError(error);
    if (isForbidden(failure)) return { kind: "missing-permission", permission: "actions: read" };
    if (failure instanceof GitHubError && (failure.status === 404 || failure.status === 410)) return { kind: "gone", status: failure.status };
    throw failure;
  }
  return { kind: "log", ...cleanJobLog(read.tail, read.total, read.cut) };
}

/** 403 that is not a rate limit: the installation lacks the permission (GitHub: "Resource not accessible by integration"). */
function isForbidden(error: unknown): boolean {
  const failure = toGitHubError(error);
  return failure instanceof GitHubError && failure.kind === "forbidden";
}

export function boundedOutput(redactor: Redactor, output: CheckOutput): CheckOutput {
  return {
    title: boundedText(redactor, output.title, MAX_SHORT_CHARS),
    summary: boundedText(redactor, output.summary, MAX_OUTPUT_CHARS),
    text: boundedText(redactor, output.text, MAX_OUTPUT_CHARS),
  };
}

/** `text` cut to `limit` characters (saying how many were left out), redacted. */
export function boundedText(redactor: Redactor, text: string | null, limit: number): string | null {
  if (text === null) return null;
  const kept = text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text;
  return redactor.redactLines(kept.split("\n")).join("\n");
}
