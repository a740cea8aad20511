import type { Finding } from "../domain/finding.js";
import { plainUntrusted } from "../markdown/untrusted.js";

/** The fix commit's message: a subject line, then one line per fixed finding and who asked. Pure. */
export function fixCommitMessage(
  fixed: readonly Finding[],
  request: { readonly requestedBy: string; readonly requestUrl: string | null; readonly summary: string | null },
): string {
  const subject =
    fixed.length === 1
      ? truncate(`Fix ${fixed[0]!.severity} ${fixed[0]!.category}: ${oneLine(fixed[0]!.title)}`, 72)
      : fixed.length === 0
        ? "Apply requested fix"
        : `Fix ${fixed.length} review findings`;
  const lines = fixed.map((f) => `- ${f.severity} ${f.category}: ${oneLine(f.title)} (${f.path}:${f.line})`);
  const summary = request.summary ? oneLine(request.summary) : "";
  const asked = `Requested by @${request.requestedBy}${request.requestUrl ? ` in ${request.requestUrl}` : ""} (Longview /agent fix).`;
  const paragraphs = [subject, ...(lines.length > 0 ? [lines.join("\n")] : []), ...(summary ? [summary] : []), asked];
  return paragraphs.join("\n\n");
}

/** GitHub shows commit messages as plain text but links mentions in them: model text notifies nobody and forges no marker. */
function oneLine(text: string): string {
  return plainUntrusted(text);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
