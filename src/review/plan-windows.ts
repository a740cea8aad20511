import type { FlaggedSecret } from "../analyzers/analyzer.js";
import { buildWindowPlan, initSyntax, languagesOf, type WindowBudget, type WindowPlanOptions } from "../context/index.js";
import type { ChangeSet } from "../domain/change-set.js";
import { mapImpactText } from "../domain/impact.js";
import type { WindowPlan } from "../domain/window.js";
import { createRedactor, redactChangeSet } from "./redact-change-set.js";

/**
 * What the model will see: windows planned over a redacted copy of the change
 * and the pull request's text when a model reviews it, or over the change as
 * it is in offline mode (the plan still gives the coverage). Pure, and the
 * most CPU-heavy stage of a review (secret scanning, syntax outlines,
 * tokenising, packing): the app runs it on a worker thread.
 */

export interface WindowPlanRequest {
  readonly changeSet: ChangeSet;
  readonly pr: { readonly title: string; readonly description: string };
  readonly guidelines: string;
  readonly budget: WindowBudget;
  readonly options: WindowPlanOptions;
  /** Replace secrets before planning: whenever the windows go to a model. */
  readonly redact: boolean;
  /** Credentials the analyzers flagged, hidden too (their values match no pattern). */
  readonly flaggedSecrets: readonly FlaggedSecret[];
}

/** Plans windows; where it runs (this thread or a worker thread) is the implementation's choice. */
export type PlanWindows = (request: WindowPlanRequest, signal?: AbortSignal) => Promise<WindowPlan>;

export const planWindows: PlanWindows = async (request) => {
  const { changeSet, redact } = request;
  await initSyntax({ languages: languagesOf(changeSet.files.map((f) => f.path)) });
  // The model never sees secrets: windows are built from a redacted copy of the change, PR text and guidelines,
  // hiding the credentials the analyzers flagged as well.
  const redactor = createRedactor();
  const modelView = redact ? await redactChangeSet(changeSet, redactor, request.flaggedSecrets) : changeSet;
  const clean = (text: string) => (redact ? redactor.redactLine(text) : text);
  return buildWindowPlan(
    modelView,
    { title: clean(request.pr.title), description: clean(request.pr.description), guidelines: clean(request.guidelines) },
    request.budget,
    // The impact quotes unchanged repository code: it is redacted like the change.
    redact && request.options.impact !== undefined ? { ...request.options, impact: mapImpactText(request.options.impact, clean) } : request.options,
  );
};
