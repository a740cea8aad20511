import type { Logger } from "pino";
import { compose } from "../compose.js";
import { repositoryLimits } from "../config/env.js";
import { findGaps } from "../review/completeness.js";
import { evaluateGate, gateConclusion, gatePolicyOf, parseFailOn, type GatePolicy } from "../review/gate.js";
import { runReview, type ReviewResult } from "../review/run-review.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { ReviewOptions } from "./args.js";
import { renderReport } from "./formats/index.js";
import { EXIT_GATE_FAILED, EXIT_OK, UsageError, type CliIo } from "./io.js";
import { prepareChange, writeReport } from "./prepare-change.js";
import type { CliReport } from "./report.js";
import { readToolInfo } from "./version.js";

/**
 * `longview review`: a local change through the app's pipeline (`runReview`),
 * rendered in the chosen format; the exit code carries the gate's verdict.
 */
export async function reviewCommand(options: ReviewOptions, io: CliIo, log: Logger): Promise<number> {
  const prepared = await prepareChange(options, io, log);
  const { env, change, settings, changeSet } = prepared;
  // A bad --fail-on is a usage error before minutes of review, not after.
  gatePolicy(options.failOn, gatePolicyOf(settings.config));

  const longview = compose(env, log);
  const progress = io.stderr.isTTY === true && !options.quiet;
  if (progress) io.stderr.write(`longview: reviewing ${change.label}: ${changeSet.files.length} files\n`);
  // The repository around the change (a git range: the head commit; a diff: the working tree), for the impact context and the model's tools.
  const repository = change.repository?.(repositoryLimits(env)) ?? null;
  const result = await runReview({
    changeSet,
    pr: { title: change.title, description: change.description },
    guidelines: settings.guidelines,
    config: settings.config,
    budget: prepared.budget,
    reviewer: longview.reviewer,
    analyzers: longview.analyzers,
    windowConcurrency: env.LONGVIEW_WINDOW_CONCURRENCY,
    ...(repository ? { repository } : {}),
    log,
    ...(io.signal ? { signal: io.signal } : {}),
    onProgress: progress ? ({ windowsDone, windowsTotal }) => void io.stderr.write(`longview: window ${windowsDone}/${windowsTotal} done\n`) : undefined,
  }).finally(() => repository?.close());

  return finishReview({ result, config: settings.config, inputNotices: [...settings.problems, ...change.notices], changeSet }, options, io);
}

export interface ReviewedChange {
  readonly result: ReviewResult;
  readonly config: RepoConfig;
  readonly inputNotices: readonly string[];
  readonly changeSet: ChangeSet;
}

/** The gate's verdict on a review, the report in the chosen format, and the exit code: the same for a local change and a pull request. */
export async function finishReview(reviewed: ReviewedChange, options: ReviewOptions, io: CliIo): Promise<number> {
  const { result, config, changeSet } = reviewed;
  const policy = gatePolicy(options.failOn, gatePolicyOf(config));
  // The check run's decision (review/check-output.ts): blocking findings, then a review that did not cover the change.
  const { onIncomplete, maxUnreviewedLines } = config.gate;
  const gating = policy === null ? [] : evaluateGate(result.findings, policy).gating;
  const gaps = findGaps(
    { coverage: result.coverage, windows: result.plan.windows, windowsFailed: result.windowsFailed, unverified: result.verification?.incomplete ?? 0 },
    maxUnreviewedLines,
  );
  const conclusion = policy === null ? "success" : gateConclusion({ blocking: gating.length, incomplete: gaps !== null, onIncomplete });
  const report: CliReport = {
    result,
    inputNotices: reviewed.inputNotices,
    gate: { passed: conclusion !== "failure", policy, gating, gaps, onIncomplete },
    changeSet,
    tool: await readToolInfo(),
    summary: config.review.summary,
  };
  await writeReport(renderReport(options.format, report), options.output, io);
  return conclusion === "failure" ? EXIT_GATE_FAILED : EXIT_OK;
}

/** `--fail-on` if given, else the config's gate. */
export function gatePolicy(failOn: string | undefined, configured: GatePolicy): GatePolicy | null {
  if (failOn === undefined) return configured;
  const parsed = parseFailOn(failOn, configured);
  if (parsed instanceof Error) throw new UsageError(parsed.message);
  return parsed;
}
