/**
 * A local GitHub REST (and minimal GraphQL) API for end-to-end tests and
 * demos: real git repositories, GitHub's validation rules, OpenAPI-checked
 * requests and responses, fault injection. See README.md.
 */
export { startSimulator } from "./simulator.js";
export type {
  CreatePullRequestInput,
  CreateRepoInput,
  CreatedPullRequest,
  PushResult,
  SimApp,
  SimRepo,
  Simulator,
  SimulatorOptions,
  StateReader,
} from "./simulator-types.js";
export { deliverWebhook } from "./webhook.js";
export type { DeliverWebhookInput, DeliveryResult } from "./webhook.js";
export { FaultInjector, SECONDARY_RATE_LIMIT_MESSAGE, primaryRateLimit, secondaryRateLimit } from "./faults.js";
export type { FaultSpec, InjectedFault } from "./faults.js";
export type { Permission } from "./state.js";
export type { CiCommit, CiCompletion, CiConclusion, CiDefinition, CiHandle, CiResult, CiRunFilter, CiRunView, SimCi } from "./ci-types.js";
export type { CheckRunView, CheckSuiteView, IssueCommentView, ReactionView, ReviewCommentView, ReviewView, ThreadView } from "./state-views.js";
export type { CommitInput, RepoName, RequestLogEntry, SimulatorEvent, Violation, WebhookDelivery, WebhookHandler } from "./types.js";
export type { SimulatorLimits } from "./world.js";
