import { z } from "zod";
import type { PullRef } from "../domain/pull-request.js";

/**
 * The workflow's event (`GITHUB_EVENT_NAME`, the JSON at `GITHUB_EVENT_PATH`)
 * read as what Longview needs of it: which pull request to review, whether
 * its head comes from a fork, and the previous head on a push. Validated
 * here: the payload is the webhook's, and anything else is not reviewed.
 */

/** The activity types a review answers; anything else (labels, edits, closing) leaves the pull request alone. */
export const REVIEWED_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

const FULL_NAME = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

const RepoSchema = z.object({ full_name: z.string().regex(FULL_NAME) });

const PullRequestEventSchema = z.object({
  action: z.string().max(64),
  number: z.number().int().positive(),
  // A subset of what GitHub sends: nothing else of the payload is read.
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: z.string().regex(SHA), repo: RepoSchema.nullable() }),
    base: z.object({ repo: RepoSchema }),
  }),
  /** `synchronize`: the head before the push. */
  before: z.string().regex(SHA).optional(),
});

export type ActionEvent =
  | {
      readonly kind: "review";
      readonly ref: PullRef;
      readonly headSha: string;
      /** The head before a push (`synchronize`): Longview's unfinished runs there are superseded. */
      readonly previousSha: string | null;
      /**
       * A `pull_request` event whose head is in another repository: GitHub gives the workflow a read-only
       * token (and no secrets). `pull_request_target` runs in the base repository, with its token, even for a fork.
       */
      readonly fork: boolean;
    }
  | { readonly kind: "ignored"; readonly reason: string };

export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EventError";
  }
}

const PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target"] as const;

export function readActionEvent(eventName: string, payload: unknown): ActionEvent {
  if (!(PULL_REQUEST_EVENTS as readonly string[]).includes(eventName)) {
    return {
      kind: "ignored",
      reason: `Longview reviews pull requests; this workflow ran on "${eventName.slice(0, 64)}" (run it on: pull_request)`,
    };
  }
  const parsed = PullRequestEventSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.map(String).join(".") || "(payload)"}: ${first.message}` : "unreadable";
    throw new EventError(`the ${eventName} event payload is not a pull request event (${where})`);
  }
  const event = parsed.data;
  if (!(REVIEWED_ACTIONS as readonly string[]).includes(event.action)) {
    return { kind: "ignored", reason: `${eventName}.${event.action} does not call for a review (reviewed: ${REVIEWED_ACTIONS.join(", ")})` };
  }
  const base = event.pull_request.base.repo.full_name;
  const [owner = "", repo = ""] = base.split("/");
  const head = event.pull_request.head.repo?.full_name;
  return {
    kind: "review",
    ref: { owner, repo, pullNumber: event.pull_request.number },
    headSha: event.pull_request.head.sha,
    previousSha: event.action === "synchronize" ? (event.before ?? null) : null,
    // A head repository that is gone (a deleted fork) is a fork's too.
    fork: eventName === "pull_request" && (head === undefined || head.toLowerCase() !== base.toLowerCase()),
  };
}
