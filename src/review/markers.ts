import type { Category, Severity } from "../domain/finding.js";
import { CATEGORIES, SEVERITIES } from "../domain/finding.js";

/**
 * Hidden HTML-comment markers that keep Longview's state in GitHub itself, so
 * any instance can pick up any pull request. Only markers in comments written
 * by Longview's own bot account are trusted (the caller checks the author),
 * and model or PR text can never produce one (`neutralizeUntrusted`).
 */

export interface ReviewMarker {
  readonly head: string;
  /** Set for incremental reviews: the previously reviewed head. */
  readonly from: string | null;
}

export interface FindingMarker {
  readonly fingerprint: string;
  readonly anchor: string | null;
  readonly severity: Severity;
  readonly category: Category;
}

const SHA = "[0-9a-f]{7,64}";
const REVIEW_RE = new RegExp(`<!-- longview:review head=(${SHA})(?: from=(${SHA}))? -->`);
const FINDING_RE = new RegExp(
  `<!-- longview:finding fp=([0-9a-f]{16}) anchor=([0-9a-f]{12}|-) sev=(${SEVERITIES.join("|")}) cat=(${CATEGORIES.join("|")}) -->`,
);
const FIXED_RE = /<!-- longview:fixed fp=([0-9a-f]{16}) -->/;

export function reviewMarker(marker: ReviewMarker): string {
  return `<!-- longview:review head=${marker.head}${marker.from ? ` from=${marker.from}` : ""} -->`;
}

export function parseReviewMarker(body: string | null | undefined): ReviewMarker | null {
  const m = REVIEW_RE.exec(body ?? "");
  return m?.[1] ? { head: m[1], from: m[2] ?? null } : null;
}

export function findingMarker(marker: FindingMarker): string {
  return `<!-- longview:finding fp=${marker.fingerprint} anchor=${marker.anchor ?? "-"} sev=${marker.severity} cat=${marker.category} -->`;
}

export function parseFindingMarker(body: string | null | undefined): FindingMarker | null {
  const m = FINDING_RE.exec(body ?? "");
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  return { fingerprint: m[1], anchor: m[2] === "-" ? null : m[2], severity: m[3] as Severity, category: m[4] as Category };
}

export function fixedMarker(fingerprint: string): string {
  return `<!-- longview:fixed fp=${fingerprint} -->`;
}

export function parseFixedMarker(body: string | null | undefined): string | null {
  return FIXED_RE.exec(body ?? "")?.[1] ?? null;
}

/** Every finding marker in a text (review bodies list several). */
export function parseAllFindingMarkers(body: string | null | undefined): FindingMarker[] {
  const global = new RegExp(FINDING_RE.source, "g");
  return [...(body ?? "").matchAll(global)].flatMap((m) => {
    const parsed = parseFindingMarker(m[0]);
    return parsed ? [parsed] : [];
  });
}
