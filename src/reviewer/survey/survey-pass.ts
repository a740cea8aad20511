import type { Logger } from "pino";
import { EMPTY_SURVEY, type Survey } from "../../domain/survey.js";
import type { Window } from "../../domain/window.js";
import {
  ModelAbortedError,
  ZERO_USAGE,
  addUsage,
  untrustedBlockRequest,
  newNonce,
  type ModelRequest,
  type StructuredModel,
  type TokenUsage,
} from "../../model/index.js";
import { mapConcurrent } from "../../util/map-concurrent.js";
import { askStructured, oneLine } from "../ask-structured.js";
import { surveyBatches, SURVEY_LIMITS, type SurveyBatch, type SurveyLimits } from "./survey-batches.js";
import { SURVEY_INSTRUCTIONS, SURVEY_TAG, surveyRepairRequest } from "./survey-instructions.js";
import type { SurveyOutput } from "./survey-schema.js";
import { mergeSurveys, validateSurveyBatch } from "./validate-survey.js";

/**
 * The survey pass: before any window is reviewed, small structured calls over
 * batches of files (diff only, bounded) in parallel, merged into one Survey.
 * A failed batch costs its files' summaries and a sentence for the reader,
 * never the review; only the caller's abort propagates.
 */

export interface SurveyResult {
  readonly survey: Survey;
  readonly usage: TokenUsage;
  readonly calls: number;
  /** One sentence per batch the model could not survey. */
  readonly failures: readonly string[];
}

export interface SurveyPass {
  readonly model: string;
  survey(windows: readonly Window[], signal?: AbortSignal): Promise<SurveyResult>;
}

/** Output cap of one batch's answer: a line per file and a few API changes. */
export const SURVEY_OUTPUT_TOKENS = 3_000;
const BATCH_CONCURRENCY = 4;
const MAX_DESCRIPTION_CHARS = 2_000;

export class ModelSurveyPass implements SurveyPass {
  readonly model: string;

  constructor(private readonly deps: { readonly model: StructuredModel<SurveyOutput>; readonly log: Logger; readonly limits?: SurveyLimits }) {
    this.model = deps.model.model;
  }

  async survey(windows: readonly Window[], signal?: AbortSignal): Promise<SurveyResult> {
    const batches = surveyBatches(windows, this.deps.limits ?? SURVEY_LIMITS);
    const pr = windows[0]?.global ?? null;
    if (batches.length === 0 || pr === null) return { survey: EMPTY_SURVEY, usage: ZERO_USAGE, calls: 0, failures: [] };
    const outcomes = await mapConcurrent(
      batches,
      BATCH_CONCURRENCY,
      (batch, i) => this.surveyBatch(batch, i + 1, batches.length, { title: pr.title, description: pr.description }, signal),
      signal,
    );
    let usage = ZERO_USAGE;
    let calls = 0;
    const failures: string[] = [];
    for (const outcome of outcomes) {
      usage = addUsage(usage, outcome.usage);
      calls += outcome.calls;
      if (outcome.failure !== null) failures.push(outcome.failure);
    }
    const survey = mergeSurveys(outcomes.flatMap((o) => (o.survey ? [o.survey] : [])));
    this.deps.log.info(
      { batches: batches.length, failed: failures.length, files: survey.files.length, apiChanges: survey.apiChanges.length, usage, calls },
      "survey finished",
    );
    return { survey, usage, calls, failures };
  }

  private async surveyBatch(
    batch: SurveyBatch,
    n: number,
    of: number,
    pr: { readonly title: string; readonly description: string },
    signal: AbortSignal | undefined,
  ): Promise<{ survey: Survey | null; usage: TokenUsage; calls: number; failure: string | null }> {
    const id = `survey-${n}`;
    const label = of === 1 ? "survey" : `survey batch ${n} of ${of}`;
    const session = this.deps.model.session({ id, label, task: "survey" }, this.deps.log, signal, { pass: "survey", batch: n });
    try {
      const { output, spend } = await askStructured(session, surveyRequest(batch, pr), surveyRepairRequest, { id, label }, this.deps.log);
      const validated = validateSurveyBatch(
        output,
        batch.files.map((f) => f.path),
      );
      for (const problem of validated.problems) this.deps.log.warn({ pass: "survey", batch: n }, `survey output: ${problem}`);
      return { survey: validated.survey, usage: spend.usage, calls: spend.calls, failure: null };
    } catch (error) {
      if (signal?.aborted || error instanceof ModelAbortedError) throw error;
      // The session counted every call, failed ones included.
      const spend = session.spend();
      this.deps.log.error({ err: error, pass: "survey", batch: n }, "survey batch failed");
      const files = batch.files.length;
      return {
        survey: null,
        usage: spend.usage,
        calls: spend.calls,
        failure: `The survey could not summarise ${files} file${files === 1 ? "" : "s"} (${label}): ${oneLine(error instanceof Error ? error.message : String(error))}. Their windows were reviewed without it.`,
      };
    }
  }
}

export function surveyRequest(
  batch: SurveyBatch,
  pr: { readonly title: string; readonly description: string },
  makeNonce: () => string = newNonce,
): ModelRequest {
  const description = pr.description.length > MAX_DESCRIPTION_CHARS ? `${pr.description.slice(0, MAX_DESCRIPTION_CHARS)}…` : pr.description;
  const content = [
    `# Pull request\nTitle: ${pr.title}\n## Description (untrusted)\n${description === "" ? "(none)" : description}\n`,
    `# Diff of ${batch.files.length} file(s)\n`,
    ...batch.files.map((f) => f.text),
  ].join("");
  return untrustedBlockRequest({
    instructions: SURVEY_INSTRUCTIONS,
    tag: SURVEY_TAG,
    text: content,
    intro: (nonce) => `Survey the ${batch.files.length} file(s) in the ${SURVEY_TAG} block with id "${nonce}".`,
    makeNonce,
  });
}
