import { createHash } from "node:crypto";

/**
 * What makes a webhook delivery a replay. The signature covers the payload,
 * not `X-GitHub-Delivery`: a captured delivery re-sent with a fresh id passes
 * the signature check, but its payload cannot change. So a job is
 * de-duplicated on the signed payload's digest (GitHub's own redeliveries
 * repeat it too), or, where the event creates a unique object, on that
 * object (a comment is one command, however often its event arrives).
 */

export function payloadReplayKey(event: string, payload: unknown): string {
  // The payload as parsed from the signed body; the same body always serialises the same way.
  return `${event}:${createHash("sha256").update(JSON.stringify(payload)).digest("hex")}`;
}

export function commentReplayKey(kind: "issue-comment" | "review-comment", commentId: number): string {
  return `${kind}:${commentId}`;
}
