import type { Logger } from "pino";
import type { RepoConfig } from "../config/repo-config.js";
import { isModelSource, type Finding, type Verification } from "../domain/finding.js";
import type { WindowFile } from "../domain/window.js";
import { ModelError, NO_TOOL_USAGE, ZERO_USAGE, addToolUsage, addUsage, type ModelToolSet, type TokenUsage, type ToolUsage } from "../model/index.js";
import { VERIFICATION_BATCH_SIZE, type CandidateVerdict, type VerificationBatch, type VerificationPass } from "../reviewer/index.js";
import { mapConcurrent } from "../util/map-concurrent.js";

/**
 * The verification stage of a review: every model finding goes back to the
 * model (batched per file, with the file's hunks and the repository tools)
 * and is posted only when confirmed at `verification.minScore` or above.
 * Deterministic findings (an analyzer rule, or a model finding an analyzer
 * corroborated) pass untouched. When a batch cannot be verified, the
 * repository's `verification.onFailure` decides, and a notice says what
 * happened: a failure never turns into "no findings".
 */

export type VerificationPolicy = RepoConfig["verification"];

/** What the stage did, for the review body, the check run, the logs and eval. */
export interface VerificationSummary {
  /** False when the installation or the repository switched verification off. */
  readonly enabled: boolean;
  /** Model findings sent to the verifier (0 when verification is off). */
  readonly checked: number;
  readonly confirmed: number;
  readonly rejected: number;
  readonly uncertain: number;
  /** Confirmed below `minScore` (or, with verification off, reported below it). */
  readonly belowScore: number;
  /** Findings whose verification failed, whatever the policy did with them. */
  readonly failed: number;
  /** Of the failed: withheld under `onFailure: incomplete` (the review counts as incomplete). */
  readonly incomplete: number;
  readonly usage: TokenUsage;
  readonly calls: number;
  /** The model findings as they were before this stage: what eval measures "before verification" on. */
  readonly candidates: readonly Finding[];
}

export interface VerificationRun {
  /** Deterministic findings and the model findings kept, each with its verification. */
  readonly findings: readonly Finding[];
  readonly summary: VerificationSummary;
  /** Dropped by a verdict or the score; withheld after a failure. */
  readonly dropped: number;
  readonly withheld: number;
  readonly tools?: ToolUsage;
  readonly notices: readonly string[];
}

export interface VerifyInput {
  readonly findings: readonly Finding[];
  /** The files as the windows showed them (redacted): the code each batch carries. */
  readonly files: readonly WindowFile[];
  /** Null: verification is off (the installation or the repository), and the reviewer's confidence stands in for the score. */
  readonly pass: VerificationPass | null;
  readonly policy: VerificationPolicy;
  readonly tools?: ModelToolSet;
  readonly concurrency: number;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** A model's judgement that nothing deterministic backs: only these are verified. */
export function needsVerification(finding: Finding): boolean {
  return isModelSource(finding.source) && finding.ruleId === null && finding.corroboratedBy.every(isModelSource);
}

/** One candidate's outcome: its verdict (or why there is none) against the policy. Pure. */
export type Decision =
  | { readonly kind: "post"; readonly verification: Verification }
  | { readonly kind: "drop"; readonly why: "rejected" | "uncertain" | "below-score" }
  | { readonly kind: "withhold" };

export type Answer =
  { readonly kind: "verdict"; readonly verdict: CandidateVerdict } | { readonly kind: "failed"; readonly reason: string } | { readonly kind: "off" };

export function decide(finding: Finding, answer: Answer, policy: Pick<VerificationPolicy, "minScore" | "onFailure">): Decision {
  switch (answer.kind) {
    case "off":
      return finding.confidence >= policy.minScore
        ? { kind: "post", verification: { status: "unverified", score: finding.confidence, reason: "verification is off" } }
        : { kind: "drop", why: "below-score" };
    case "failed":
      return policy.onFailure === "post"
        ? { kind: "post", verification: { status: "failed", score: finding.confidence, reason: answer.reason } }
        : { kind: "withhold" };
    case "verdict": {
      const { verdict, score, reason } = answer.verdict;
      if (verdict !== "confirmed") return { kind: "drop", why: verdict };
      if (score < policy.minScore) return { kind: "drop", why: "below-score" };
      return { kind: "post", verification: { status: "confirmed", score, reason } };
    }
  }
}

/** Candidates grouped per file (in first-seen order), cut into batches with ids unique within each batch. Pure. */
export function verificationBatches(candidates: readonly Finding[], files: readonly WindowFile[], size = VERIFICATION_BATCH_SIZE): VerificationBatch[] {
  const byPath = groupByPath(candidates);
  // A file split across windows appears once per window.
  const filesByPath = groupByPath(files);
  const batches: VerificationBatch[] = [];
  for (const [path, findings] of byPath) {
    const shown = filesByPath.get(path) ?? [];
    for (let i = 0; i < findings.length; i += size) {
      const chunk = findings.slice(i, i + size);
      batches.push({ path, files: shown, candidates: chunk.map((finding, k) => ({ id: `F${k + 1}`, finding })) });
    }
  }
  return batches;
}

function groupByPath<T extends { readonly path: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const same = groups.get(item.path);
    if (same) same.push(item);
    else groups.set(item.path, [item]);
  }
  return groups;
}

export async function verifyFindings(input: VerifyInput): Promise<VerificationRun> {
  const { policy, log, signal } = input;
  const candidates = input.findings.filter(needsVerification);
  const kept: Finding[] = input.findings.filter((f) => !needsVerification(f));
  const counts = { confirmed: 0, rejected: 0, uncertain: 0, belowScore: 0, failed: 0, incomplete: 0 };
  let dropped = 0;
  let withheld = 0;
  let usage = ZERO_USAGE;
  let calls = 0;
  let tools: ToolUsage | null = null;
  const failures: string[] = [];

  const apply = (finding: Finding, answer: Answer) => {
    if (answer.kind === "verdict" && answer.verdict.verdict !== "confirmed") counts[answer.verdict.verdict]++;
    if (answer.kind === "failed") counts.failed++;
    const decision = decide(finding, answer, policy);
    if (decision.kind === "post") {
      if (answer.kind === "verdict") counts.confirmed++;
      kept.push({ ...finding, verification: decision.verification });
    } else if (decision.kind === "drop") {
      if (decision.why === "below-score") counts.belowScore++;
      dropped++;
      log.info(
        {
          path: finding.path,
          line: finding.line,
          title: finding.title,
          why: decision.why,
          ...(answer.kind === "verdict" ? { reason: answer.verdict.reason, score: answer.verdict.score } : {}),
        },
        "finding dropped by verification",
      );
    } else {
      withheld++;
      if (policy.onFailure === "incomplete") counts.incomplete++;
    }
  };

  if (input.pass === null) {
    for (const finding of candidates) apply(finding, { kind: "off" });
  } else if (candidates.length > 0) {
    const pass = input.pass;
    const batches = verificationBatches(candidates, input.files);
    const results = await mapConcurrent(
      batches,
      input.concurrency,
      async (batch) => {
        try {
          return { batch, answer: await pass.verify(batch, signal, input.tools), error: null };
        } catch (error) {
          if (signal?.aborted) throw error;
          return { batch, answer: null, error };
        }
      },
      signal,
    );
    for (const { batch, answer, error } of results) {
      if (answer) {
        usage = addUsage(usage, answer.usage);
        calls += answer.calls;
        if (answer.tools) tools = addToolUsage(tools ?? NO_TOOL_USAGE, answer.tools);
        for (const { id, finding } of batch.candidates) {
          const verdict = answer.verdicts.get(id);
          apply(finding, verdict ? { kind: "verdict", verdict } : { kind: "failed", reason: "the verifier gave no verdict for it" });
        }
        if (answer.unanswered.length > 0)
          failures.push(`the verifier gave no verdict for ${answer.unanswered.length} of the findings on \`${oneLine(batch.path, 200)}\``);
      } else {
        if (error instanceof ModelError) {
          usage = addUsage(usage, error.usage);
          calls += error.calls;
        }
        const message = oneLine(error instanceof Error ? error.message : String(error));
        log.error({ err: error, path: batch.path, findings: batch.candidates.length }, "verification failed");
        failures.push(`${message} (\`${oneLine(batch.path, 200)}\`)`);
        for (const { finding } of batch.candidates) apply(finding, { kind: "failed", reason: `verification failed: ${message}` });
      }
    }
  }

  const summary: VerificationSummary = {
    enabled: input.pass !== null,
    checked: input.pass === null ? 0 : candidates.length,
    ...counts,
    usage,
    calls,
    candidates,
  };
  log.info({ candidates: candidates.length, ...counts, dropped, withheld, usage, calls }, "verification finished");
  return { findings: kept, summary, dropped, withheld, ...(tools ? { tools } : {}), notices: failureNotices(counts.failed, failures, policy) };
}

function failureNotices(failed: number, failures: readonly string[], policy: VerificationPolicy): string[] {
  if (failed === 0) return [];
  const what = `${failed} model finding${failed === 1 ? "" : "s"}`;
  const why = failures.slice(0, 3).join("; ") + (failures.length > 3 ? `; and ${failures.length - 3} more` : "");
  switch (policy.onFailure) {
    case "post":
      return [`Verification failed for ${what} (${why}). They are posted marked as not verified and do not gate (\`verification.onFailure: post\`).`];
    case "withhold":
      return [
        `Verification failed for ${what} (${why}). They are not posted (\`verification.onFailure: withhold\`); re-run the review, or set \`verification.onFailure: post\` to see them marked as not verified.`,
      ];
    case "incomplete":
      return [`Verification failed for ${what} (${why}). They are not posted, and the review counts as incomplete (\`verification.onFailure: incomplete\`).`];
  }
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
