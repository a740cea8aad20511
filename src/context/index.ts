/**
 * The windowed context builder: a ChangeSet becomes ordered, bounded windows
 * that together review every changed line exactly once (or report it skipped).
 *
 *   await initSyntax({ logger, languages: languagesOf(paths) }); // tree-sitter grammars, each once per process
 *   const plan = buildWindowPlan(changeSet, global, budget, { waveSize: concurrency });
 *   const memoryCap = resolveMemoryTokenCap(budget);    // what the plan reserved in every window
 *   for each window, as a slot frees up (Window.wave only estimates the round):
 *     reviewer.review(withMemory(window, notesOfFinishedWindows, memoryCap, pullRequestMemory))
 *   const all = fanOutFindings(findings, plan);         // copies findings on folded duplicate hunks
 *   expandCompacted(plan, "c12")                         // full text behind a ref a window shows (folded copy, summarized deletion, triaged file)
 *
 * `renderWindow(window)` is the exact text of the three layers; `window.tokens.total`
 * is its o200k token count. Instructions and delimiters the reviewer adds are not counted.
 */
export { buildWindowPlan } from "./build-window-plan.js";
export { DEFAULT_WAVE_SIZE, planLimits, resolveMemoryTokenCap, type PlanLimits, type WindowBudget, type WindowPlanOptions } from "./budget.js";
export { InvalidChangeSetError, WindowBudgetError, WindowPlanInvariantError } from "./errors.js";
export { compactedRefs, expandCompacted, type CompactedKind, type ExpandedRegion } from "./expand.js";
export { fanOutFindings } from "./fan-out.js";
export { formatPlanText, planToJson, type PlanJson } from "./format-plan.js";
export type { GlobalInput } from "./global-layer.js";
export { withMemory } from "./memory.js";
export { renderGlobal, renderLocal, renderMemory, renderWindow } from "./render.js";
export { initSyntax, type SyntaxFailure, type SyntaxStatus } from "./syntax/tree-sitter.js";
export { languagesOf } from "./syntax/languages.js";
export { countTokens } from "./tokens.js";
