import type { Logger } from "pino";
import type { GitHub, PullRef } from "./client.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { CheckRunListSchema, type CheckRunSummary } from "./schemas.js";

/**
 * Longview's check run on a head commit: created at job start, progress while
 * windows are reviewed (throttled — check-run updates count against GitHub's
 * secondary rate limits; a review that completes within the interval shows no
 * count at all), completed with annotations in batches of 50.
 */

/** GitHub takes at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled";

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
}

export interface CheckOutcome {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly CheckAnnotation[];
}

export interface CheckRunAction {
  readonly label: string;
  readonly description: string;
  readonly identifier: string;
}

/**
 * Longview's check run as the review and the commands drive it. `CheckRun`
 * is the one over GitHub; the review depends on this, so a test's GitHub can
 * hand out its own.
 */
export interface CheckRunHandle {
  readonly id: number;
  /** Progress while windows are reviewed (may be throttled). */
  progress(done: number, total: number): Promise<void>;
  /** The verdict, its annotations and up to three buttons. */
  complete(outcome: CheckOutcome, actions?: readonly CheckRunAction[]): Promise<void>;
}

export class CheckRun implements CheckRunHandle {
  /** Whether this job wrote a window count: once it did, the final count always follows, so none is left stale. */
  private countShown = false;

  private constructor(
    private readonly gh: GitHub,
    private readonly ref: Pick<PullRef, "owner" | "repo">,
    readonly id: number,
    private readonly name: string,
    private readonly log: Logger,
    private readonly minProgressIntervalMs: number,
    /** When the run last told the author where the review stands: its creation ("Reviewing…"), or never (0) for a run taken over. */
    private lastProgressAt: number,
  ) {}

  /**
   * Longview's run for this review: an unfinished run with the same
   * `external_id` on the head is taken over (a retry whose creation GitHub
   * applied but did not confirm, or a review that died mid-way); otherwise one
   * is created, once — after an ambiguous failure Longview looks before
   * creating again, so no run is left in progress beside a duplicate.
   */
  static async open(
    gh: GitHub,
    ref: Pick<PullRef, "owner" | "repo">,
    input: { name: string; headSha: string; externalId: string; log: Logger; minProgressIntervalMs?: number; existing?: readonly CheckRunSummary[] },
  ): Promise<CheckRun> {
    const interval = input.minProgressIntervalMs ?? 10_000;
    const unfinished = (runs: readonly CheckRunSummary[]) => runs.find((r) => r.status !== "completed" && r.external_id === input.externalId) ?? null;
    const adopted = unfinished(input.existing ?? (await listRuns(gh, ref, input.headSha, input.name)));
    if (adopted) {
      input.log.info({ checkRunId: adopted.id }, "an unfinished check run of this review exists; continuing it");
      return new CheckRun(gh, ref, adopted.id, input.name, input.log, interval, 0);
    }
    const id = await writeOnce({
      what: "create the check run",
      log: input.log,
      write: async () => {
        const { data } = await gh.rest.checks.create({
          owner: ref.owner,
          repo: ref.repo,
          name: input.name,
          head_sha: input.headSha,
          external_id: input.externalId,
          status: "in_progress",
          started_at: new Date().toISOString(),
          output: { title: "Reviewing…", summary: "Longview is reviewing this commit." },
          request: NO_PLUGIN_RETRY,
        });
        return data.id;
      },
      find: async () => unfinished(await listRuns(gh, ref, input.headSha, input.name))?.id ?? null,
    });
    // Just created as "Reviewing…": the first count waits an interval, so a fast review completes with no update between.
    return new CheckRun(gh, ref, id, input.name, input.log, interval, Date.now());
  }

  /** Reuses an existing run (a re-run request names it). */
  static attach(gh: GitHub, ref: Pick<PullRef, "owner" | "repo">, id: number, name: string, log: Logger): CheckRun {
    return new CheckRun(gh, ref, id, name, log, 10_000, 0);
  }

  async progress(done: number, total: number): Promise<void> {
    const now = Date.now();
    if (now - this.lastProgressAt < this.minProgressIntervalMs && (done < total || !this.countShown)) return;
    this.lastProgressAt = now;
    this.countShown = true;
    await this.gh.rest.checks.update({
      owner: this.ref.owner,
      repo: this.ref.repo,
      check_run_id: this.id,
      status: "in_progress",
      output: { title: `Reviewing… ${done}/${total} windows`, summary: `Reviewed ${done} of ${total} context windows.` },
    });
  }

  async complete(outcome: CheckOutcome, actions: readonly CheckRunAction[] = []): Promise<void> {
    const batches: (typeof outcome.annotations)[] = [];
    for (let i = 0; i < outcome.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
      batches.push(outcome.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    }
    const output = { title: outcome.title, summary: outcome.summary, ...(outcome.text ? { text: outcome.text } : {}) };
    // All but the last batch go while the run is still in progress; GitHub appends annotations per update.
    for (const batch of batches.slice(0, -1)) {
      await this.gh.rest.checks.update({
        owner: this.ref.owner,
        repo: this.ref.repo,
        check_run_id: this.id,
        output: { ...output, annotations: [...batch] },
      });
    }
    await this.gh.rest.checks.update({
      owner: this.ref.owner,
      repo: this.ref.repo,
      check_run_id: this.id,
      status: "completed",
      conclusion: outcome.conclusion,
      completed_at: new Date().toISOString(),
      output: { ...output, annotations: [...(batches.at(-1) ?? [])] },
      ...(actions.length > 0 ? { actions: actions.slice(0, 3).map((a) => ({ ...a })) } : {}),
    });
    this.log.info({ checkRunId: this.id, name: this.name, conclusion: outcome.conclusion, annotations: outcome.annotations.length }, "check run completed");
  }
}

/** Completes Longview's unfinished runs on an older commit: a newer push supersedes them. */
export async function cancelSupersededRuns(
  gh: GitHub,
  ref: Pick<PullRef, "owner" | "repo">,
  input: { oldSha: string; newSha: string; name: string; complete: (run: CheckRunHandle) => Promise<void>; log: Logger },
): Promise<number> {
  const runs = await gh.paginate(gh.rest.checks.listForRef, {
    owner: ref.owner,
    repo: ref.repo,
    ref: input.oldSha,
    check_name: input.name,
    filter: "latest",
    per_page: 100,
  });
  const unfinished = runs.filter((r) => r.status !== "completed");
  for (const run of unfinished) await input.complete(CheckRun.attach(gh, ref, run.id, input.name, input.log));
  return unfinished.length;
}

/** Every run named `name` on the commit (all of them, not only the latest), validated. */
export async function listRuns(gh: GitHub, ref: Pick<PullRef, "owner" | "repo">, sha: string, name: string): Promise<CheckRunSummary[]> {
  const runs = await gh.paginate(gh.rest.checks.listForRef, { owner: ref.owner, repo: ref.repo, ref: sha, check_name: name, filter: "all", per_page: 100 });
  return CheckRunListSchema.shape.check_runs.parse(runs);
}

/**
 * The commit already has Longview's verdict: a completed review that passed
 * or failed. Runs that were skipped, cancelled, neutral or are unfinished do
 * not count — an automatic event reviews again, or takes the unfinished run over.
 */
export function hasVerdict(runs: readonly CheckRunSummary[]): boolean {
  return runs.some((r) => r.status === "completed" && (r.conclusion === "success" || r.conclusion === "failure"));
}
