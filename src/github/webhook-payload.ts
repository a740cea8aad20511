import type { z } from "zod";

/**
 * A webhook payload that does not have the shape Longview reads. Kept apart
 * from other validation errors (a GitHub API response of the wrong shape is
 * a failure of the service, not of the delivery): the webhook intake answers
 * this one with 400 and its short message, anything else with 5xx.
 */
export class InvalidPayloadError extends Error {
  constructor(
    /** `pull_request.opened`, or the bare event name when the payload has no action. */
    readonly event: string,
    /** What is wrong, in a line: the first few paths and their problems. */
    readonly problems: string,
  ) {
    super(`${event} payload: ${problems}`);
    this.name = "InvalidPayloadError";
  }
}

const MAX_ISSUES = 3;
const MAX_PROBLEMS_CHARS = 300;

/** The handler's view of its event's payload, or an InvalidPayloadError naming the event and what is wrong. */
export function parseWebhookPayload<S extends z.ZodType>(schema: S, context: { name: string; payload: unknown }): z.output<S> {
  const result = schema.safeParse(context.payload);
  if (result.success) return result.data;
  throw new InvalidPayloadError(eventName(context), summarize(result.error));
}

function eventName(context: { name: string; payload: unknown }): string {
  const action = typeof context.payload === "object" && context.payload !== null ? (context.payload as { action?: unknown }).action : undefined;
  return typeof action === "string" && action.length <= 64 ? `${context.name}.${action}` : context.name;
}

function summarize(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.map(String).join(".") || "(payload)"}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  const text = shown.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
  return text.length > MAX_PROBLEMS_CHARS ? `${text.slice(0, MAX_PROBLEMS_CHARS - 1)}…` : text;
}
