/** The windowed context builder: a ChangeSet becomes ordered, bounded windows that review every changed line once. */
export { buildWindowPlan } from "./build-window-plan.js";
export { DEFAULT_WAVE_SIZE, planLimits, resolveMemoryTokenCap, type PlanLimits, type WindowBudget, type WindowPlanOptions } from "./budget.js";
export { InvalidChangeSetError, WindowBudgetError, WindowPlanInvariantError } from "./errors.js";
export { fanOutFindings } from "./fan-out.js";
export { formatPlanText, planToJson, type PlanJson } from "./format-plan.js";
export type { GlobalInput } from "./global-layer.js";
export { withMemory } from "./memory.js";
export { renderWindow } from "./render.js";
export { initSyntax, type SyntaxFailure, type SyntaxStatus } from "./syntax/tree-sitter.js";
export { countTokens } from "./tokens.js";
