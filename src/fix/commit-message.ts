import type { Finding } from "../domain/finding.js";
import { plainUntrusted } from "../markdown/untrusted.js";

/**
 * Longview's commits carry a trailer in their last paragraph: what made them
 * (`Longview-Fix: <where it was asked>`) or, for an undo, one
 * `Longview-Undo: <sha>` per reverted commit. With the author (Longview's
 * bot identity, which GitHub gives every commit the app makes) it tells
 * `/agent undo` which commits are Longview's and which were already undone;
 * fix commits from before the trailer are still known by their author.
 */
export const FIX_TRAILER = "Longview-Fix";
export const UNDO_TRAILER = "Longview-Undo";

/** The fix commit's message: a subject line, then one line per fixed finding and who asked, then the trailer. Pure. */
export function fixCommitMessage(
  fixed: readonly Finding[],
  request: { readonly requestedBy: string; readonly requestUrl: string | null; readonly summary: string | null; readonly subject?: string },
): string {
  const subject =
    fixed.length === 1
      ? truncate(`Fix ${fixed[0]!.severity} ${fixed[0]!.category}: ${oneLine(fixed[0]!.title)}`, 72)
      : fixed.length === 0
        ? truncate(oneLine(request.subject ?? "Apply requested fix"), 72)
        : `Fix ${fixed.length} review findings`;
  const lines = fixed.map((f) => `- ${f.severity} ${f.category}: ${oneLine(f.title)} (${f.path}:${f.line})`);
  const summary = request.summary ? oneLine(request.summary) : "";
  const asked = `Requested by @${request.requestedBy}${request.requestUrl ? ` in ${request.requestUrl}` : ""} (Longview /agent fix).`;
  // The check run's "Fix all" is the only request without a comment to point at.
  const trailer = `${FIX_TRAILER}: ${request.requestUrl ? oneLine(request.requestUrl) : "fix-all"}`;
  const paragraphs = [subject, ...(lines.length > 0 ? [lines.join("\n")] : []), ...(summary ? [summary] : []), asked, trailer];
  return paragraphs.join("\n\n");
}

/** The undo commit's message: which commits it reverts (their subjects), which files it restores, who asked, and one trailer per commit. Pure. */
export function undoCommitMessage(
  reverted: readonly { readonly sha: string; readonly message: string }[],
  paths: readonly string[],
  request: { readonly requestedBy: string; readonly requestUrl: string | null },
): string {
  const subject =
    reverted.length === 1 ? truncate(`Undo Longview fix: ${subjectOf(reverted[0]!.message)}`, 72) : `Undo ${reverted.length} Longview fix commits`;
  const list = reverted.map((c) => `- ${c.sha.slice(0, 7)} ${truncate(subjectOf(c.message), 72)}`).join("\n");
  const restored = `Restores ${paths.join(", ")} to ${paths.length === 1 ? "its content" : "their content"} before Longview's changes.`;
  const asked = `Requested by @${request.requestedBy}${request.requestUrl ? ` in ${request.requestUrl}` : ""} (Longview /agent undo).`;
  const trailers = reverted.map((c) => `${UNDO_TRAILER}: ${c.sha}`).join("\n");
  return [subject, `Reverts:\n${list}`, oneLine(restored), asked, trailers].join("\n\n");
}

/** A commit message's trailers of `name` (its last paragraph only, as git reads trailers). Pure. */
export function trailerValues(message: string, name: string): string[] {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? paragraphs.at(-1)! : "";
  const prefix = `${name.toLowerCase()}:`;
  return last
    .split("\n")
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

function subjectOf(message: string): string {
  return oneLine(message.split("\n")[0] ?? "");
}

/** GitHub shows commit messages as plain text but links mentions in them: model text notifies nobody and forges no marker. */
function oneLine(text: string): string {
  return plainUntrusted(text);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
