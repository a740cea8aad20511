import { createTwoFilesPatch } from "diff";
import type { Logger } from "pino";
import type { FlaggedSecret } from "../analyzers/analyzer.js";
import type { RepoConfig } from "../config/repo-config.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { computeFileDiff } from "../diff/compute-file-diff.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { Finding } from "../domain/finding.js";
import { ZERO_USAGE, addUsage, type TokenUsage } from "../model/index.js";
import { createRedactor, rangesByPath } from "../redact/index.js";
import { gatePolicyOf, isGating } from "../review/gate.js";
import type { ReviewResult } from "../review/run-review.js";
import type { FixJudge } from "./fix-judge.js";
import type { ValidatedFix, Validation } from "./validate-edits.js";

/**
 * The proof a model-made fix owes before it is committed, after the
 * mechanical validation: a model judge accepts that the diff fixes exactly
 * the findings (no `return true`), then the fix's own diff goes through the
 * review pipeline (analyzers and the model reviewer, with verification) —
 * the targeted findings must not be reported again and nothing new may
 * reach the gate. A failure is a list of problems for the fix model.
 */

export interface FixReviewInput {
  readonly changeSet: ChangeSet;
  readonly pr: { readonly title: string; readonly description: string };
  readonly config: RepoConfig;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** The review pipeline, as the composition root builds it (budgets from the environment). */
export type ReviewFix = (input: FixReviewInput) => Promise<ReviewResult>;

export interface ProofDeps {
  readonly reviewFix: ReviewFix | null;
  readonly judge: FixJudge | null;
}

export interface ProofInput {
  readonly fix: ValidatedFix;
  /** What the fix model said it did. */
  readonly summary: string;
  readonly targets: readonly Finding[];
  readonly originals: ReadonlyMap<string, string>;
  /** Credentials the analyzers flagged in `originals`: redacted in what the judge reads. */
  readonly flagged: readonly FlaggedSecret[];
  readonly instructions: string;
  /** For a revision made for CI: the failure report the fix model got (already redacted). */
  readonly ciFailure?: string;
  readonly config: RepoConfig;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

export interface ProofSpend {
  readonly calls: number;
  readonly usage: TokenUsage;
}

export const NO_PROOF_SPEND: ProofSpend = { calls: 0, usage: ZERO_USAGE };

/** Lines around a target within which a finding of the fix's review is the same problem, still there. */
const SAME_PLACE_LINES = 5;

export async function proveFix(input: ProofInput, deps: ProofDeps): Promise<{ readonly validation: Validation; readonly spend: ProofSpend }> {
  let spend = NO_PROOF_SPEND;
  const checks: string[] = [];
  const { fix, log } = input;

  if (deps.judge) {
    const diff = await redactedDiff(input.originals, fix.files, input.flagged);
    const redactor = createRedactor();
    const { judgement, spend: judged } = await deps.judge.judge(
      {
        findings: input.targets.map((f) => ({ ...f, title: redactor.redactLine(f.title), body: redactor.redactLine(f.body) })),
        diff,
        summary: redactor.redactLine(input.summary),
        instructions: redactor.redactLine(input.instructions),
        ...(input.ciFailure ? { ciFailure: input.ciFailure } : {}),
      },
      log,
      input.signal,
    );
    spend = { calls: spend.calls + judged.calls, usage: addUsage(spend.usage, judged.usage) };
    log.info({ verdict: judgement.verdict, reason: judgement.reason }, "fix judged");
    if (judgement.verdict === "reject") return { validation: { ok: false, problems: [`A judge reviewing your diff rejected it: ${judgement.reason}`] }, spend };
    checks.push(`a model judge read the diff against the findings and accepted it (“${judgement.reason.replace(/[.\s]+$/, "")}”)`);
  }

  if (deps.reviewFix) {
    const review = await deps.reviewFix({
      changeSet: fixChangeSet(input.originals, fix.files),
      pr: { title: `Fix: ${input.targets.map((t) => t.title).join("; ") || (input.ciFailure ? "repair CI" : "requested change")}`, description: input.summary },
      config: fixReviewConfig(input.config),
      log,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    spend = { calls: spend.calls + review.modelCalls, usage: addUsage(spend.usage, review.usage) };
    const problems = reviewProblems(review, input.targets, input.config);
    log.info({ findings: review.findings.length, problems: problems.length, modelCalls: review.modelCalls }, "fix reviewed");
    if (problems.length > 0) return { validation: { ok: false, problems }, spend };
    checks.push(
      review.model === null
        ? "the analyzers reviewed the fix's diff and found nothing at the gate"
        : "the review pipeline (analyzers and the model reviewer, its findings verified) reviewed the fix's diff: the finding is not reported again and nothing new reaches the gate",
    );
  }
  return { validation: { ok: true, fix: { ...fix, checks: [...fix.checks, ...checks] } }, spend };
}

/** Why the review of a fix's diff refuses it: targets reported again, new problems at the gate, or a review that did not complete. Pure. */
export function reviewProblems(review: ReviewResult, targets: readonly Finding[], config: RepoConfig): string[] {
  const problems: string[] = [];
  if ((review.windowsFailed ?? 0) > 0 || (review.verification?.incomplete ?? 0) > 0) {
    problems.push("The review of your fix could not be completed (the model failed on part of it); the fix cannot be proven this time.");
  }
  const gate = gatePolicyOf(config);
  const still = new Set<Finding>();
  for (const target of targets) {
    const again = review.findings.find((f) => samePlace(f, target));
    if (again) {
      still.add(again);
      problems.push(
        `The review of your fix still reports the finding "${oneLine(target.title)}": ${where(again)} ${oneLine(again.title)}. ${firstLine(again.body)}`,
      );
    }
  }
  for (const f of review.findings) {
    if (still.has(f) || !isGating(f, gate)) continue;
    problems.push(`The review of your fix found a new ${f.severity} ${f.category} problem at ${where(f)}: ${oneLine(f.title)}. ${firstLine(f.body)}`);
  }
  return problems;
}

/** The change a fix makes, as a change set the review pipeline takes. Pure. */
export function fixChangeSet(originals: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>): ChangeSet {
  const changed = [...files].filter(([path, text]) => originals.get(path) !== text);
  return buildChangeSet({
    files: changed.map(([path, text]) =>
      computeFileDiff({ path, previousPath: null, status: originals.has(path) ? "modified" : "added", oldText: originals.get(path) ?? "", newText: text }),
    ),
    headContents: new Map(changed),
  });
}

/** The repository's settings for a fix's review: no survey or synthesis (a small diff), findings from the gate's severity up. */
function fixReviewConfig(config: RepoConfig): RepoConfig {
  return {
    ...config,
    review: { ...config.review, survey: false, synthesis: false, summary: "off", minSeverity: config.gate.severity },
    // One review of a small diff: no repeated reviews of it.
    verification: { ...config.verification, selfConsistency: { ...config.verification.selfConsistency, enabled: false } },
  };
}

function samePlace(found: Finding, target: Finding): boolean {
  if (found.path !== target.path) return false;
  const first = (target.startLine ?? target.line) - SAME_PLACE_LINES;
  const last = target.line + SAME_PLACE_LINES;
  if (found.line < first || (found.startLine ?? found.line) > last) return false;
  // An analyzer target is the same rule; a model target the same problem in other words (a new problem nearby is not it).
  if (target.ruleId !== null && found.ruleId === target.ruleId) return true;
  return similarTitles(found.title, target.title);
}

function similarTitles(a: string, b: string): boolean {
  const words = (t: string) => new Set(t.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
  const x = words(a);
  const y = words(b);
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared >= 2 && shared / Math.min(x.size, y.size) >= 0.5;
}

async function redactedDiff(originals: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>, flagged: readonly FlaggedSecret[]): Promise<string> {
  const redactor = createRedactor();
  const byPath = rangesByPath(flagged);
  const parts: string[] = [];
  for (const [path, text] of files) {
    const before = originals.get(path) ?? "";
    if (before === text) continue;
    // The original first, with the analyzers' flags: the values it holds are then redacted in the new text too.
    const old = await redactor.redactFile(path, before, byPath.get(path) ?? []);
    const now = await redactor.redactFile(path, text);
    parts.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, old, now, undefined, undefined, { context: 5 }));
  }
  return parts.join("\n");
}

function where(f: Finding): string {
  return `\`${f.path}:${f.startLine === null ? f.line : `${f.startLine}-${f.line}`}\``;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 200 ? flat : `${flat.slice(0, 199)}…`;
}

function firstLine(text: string): string {
  return oneLine(text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "");
}
