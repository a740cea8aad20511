/**
 * Tools over any RepositorySnapshot, and the impact context built with them.
 * Each tool is `(snapshot, args, limits, signal?) → result` with a zod schema
 * for its arguments and a compact text rendering for a model's tool result.
 *
 *   const { impact, notes } = await computeImpact({ changeSet, snapshot, signal });   // before planning
 *   buildWindowPlan(changeSet, global, budget, { ...options, impact });                  // planning stays pure
 */
export { computeImpact, DEFAULT_IMPACT_LIMITS, type ImpactInput, type ImpactLimits, type ImpactResult } from "./impact.js";
export { memorySnapshot } from "./memory-snapshot.js";
export {
  DEFAULT_READ_RANGE_LIMITS,
  readRange,
  ReadRangeArgsSchema,
  renderReadRange,
  type ReadRangeArgs,
  type ReadRangeLimits,
  type ReadRangeResult,
} from "./read-range.js";
export {
  DEFAULT_SEARCH_LIMITS,
  renderSearch,
  SearchArgsSchema,
  searchRepository,
  type SearchArgs,
  type SearchLimits,
  type SearchMatch,
  type SearchResult,
} from "./search.js";
export {
  findDefinitions,
  findReferences,
  renderDefinitions,
  renderReferences,
  SymbolArgsSchema,
  type DefinitionsResult,
  type ReferencesResult,
  type SymbolArgs,
  type SymbolDefinition,
  type SymbolReference,
} from "./symbols.js";
export { redactedSnapshot } from "./redacted-snapshot.js";
