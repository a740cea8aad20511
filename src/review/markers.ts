import type { Category, Severity } from "../domain/finding.js";
import { CATEGORIES, SEVERITIES } from "../domain/finding.js";

/**
 * Hidden HTML-comment markers that keep Longview's state in GitHub itself, so
 * any instance can pick up any pull request. Only markers in comments written
 * by Longview's own bot account are trusted (the caller checks the author),
 * and model or PR text can never produce one (`neutralizeUntrusted`,
 * `inlineCode`). As a second line of defence, a marker counts only where
 * Longview writes it: the review and finding markers on the last line of
 * their body, the review body's finding markers at the end of a line. Text
 * quoted from elsewhere in the body cannot stand in for them.
 */

export interface ReviewMarker {
  readonly head: string;
  /** Set for incremental reviews: the previously reviewed head. */
  readonly from: string | null;
  /** The model could not review some windows: later reviews must not start from this head. */
  readonly partial?: boolean;
}

export interface FindingMarker {
  readonly fingerprint: string;
  readonly anchor: string | null;
  readonly severity: Severity;
  readonly category: Category;
}

const SHA = "[0-9a-f]{7,64}";
const REVIEW_RE = new RegExp(`^<!-- longview:review head=(${SHA})(?: from=(${SHA}))?( partial)? -->$`);
const FINDING_RE = new RegExp(
  `<!-- longview:finding fp=([0-9a-f]{16}) anchor=([0-9a-f]{12}|-) sev=(${SEVERITIES.join("|")}) cat=(${CATEGORIES.join("|")}) -->`,
);
const FIXED_RE = /<!-- longview:fixed fp=([0-9a-f]{16}) -->/;

export function reviewMarker(marker: ReviewMarker): string {
  return `<!-- longview:review head=${marker.head}${marker.from ? ` from=${marker.from}` : ""}${marker.partial ? " partial" : ""} -->`;
}

export function parseReviewMarker(body: string | null | undefined): ReviewMarker | null {
  const m = REVIEW_RE.exec(lastLine(body));
  if (!m?.[1]) return null;
  return { head: m[1], from: m[2] ?? null, ...(m[3] ? { partial: true } : {}) };
}

/** The last non-blank line, whole: a marker must be all of it. */
function lastLine(body: string | null | undefined): string {
  const trimmed = (body ?? "").trimEnd();
  return trimmed.slice(trimmed.lastIndexOf("\n") + 1).trim();
}

function anchoredWhole(re: RegExp): RegExp {
  return new RegExp(`^${re.source}$`);
}

export function findingMarker(marker: FindingMarker): string {
  return `<!-- longview:finding fp=${marker.fingerprint} anchor=${marker.anchor ?? "-"} sev=${marker.severity} cat=${marker.category} -->`;
}

export function parseFindingMarker(body: string | null | undefined): FindingMarker | null {
  const m = anchoredWhole(FINDING_RE).exec(lastLine(body));
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  return { fingerprint: m[1], anchor: m[2] === "-" ? null : m[2], severity: m[3] as Severity, category: m[4] as Category };
}

export function fixedMarker(fingerprint: string): string {
  return `<!-- longview:fixed fp=${fingerprint} -->`;
}

export function parseFixedMarker(body: string | null | undefined): string | null {
  return new RegExp(`${FIXED_RE.source}$`).exec(lastLine(body))?.[1] ?? null;
}

/**
 * Ends Longview's answer to one `/agent` command (`key`: the command job's
 * identity, see commands/reply.ts): a retry finds the answer it already
 * posted instead of posting it twice.
 */
export function answerMarker(key: string): string {
  return `<!-- longview:answer key=${key} -->`;
}

export function parseAnswerMarker(body: string | null | undefined): string | null {
  return /^<!-- longview:answer key=([0-9a-f]{16}) -->$/.exec(lastLine(body))?.[1] ?? null;
}

/** Every finding marker in a review body, each where Longview writes it: at the end of a line. */
export function parseAllFindingMarkers(body: string | null | undefined): FindingMarker[] {
  const atLineEnd = new RegExp(`${FINDING_RE.source}[ \\t]*$`, "gm");
  return [...(body ?? "").matchAll(atLineEnd)].flatMap((m) => {
    const parsed = parseFindingMarker(m[0]);
    return parsed ? [parsed] : [];
  });
}
