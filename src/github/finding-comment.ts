import {
  CATEGORIES,
  FINDING_SOURCES,
  SEVERITIES,
  type Category,
  type Finding,
  type FindingSource,
  type Fingerprinted,
  type PlacedFinding,
  type Severity,
} from "../domain/finding.js";
import { defuseMarkers, fence, inlineCode, neutralizeLine, neutralizeUntrusted } from "../markdown/untrusted.js";
import type { ReviewComment } from "./git-schemas.js";
import { findingMarker, findingRecordMarker, parseFindingMarker } from "./markers.js";

/**
 * One finding's review comment: what Longview writes and how it reads it
 * back, side by side. The visible part is for people; the hidden marker on
 * the last line holds the whole finding as a versioned record
 * (markers.ts), which is what later reviews and `/agent fix` read. Comments
 * posted before the record existed (version 1 markers) are read from their
 * visible text, in the format this module wrote then (`parseFindingText`).
 * Callers must check that a comment's author is Longview: anybody can type
 * the same text.
 */

/** The body of one finding's review comment, as posted on GitHub. */
export function formatFindingComment(finding: PlacedFinding | Fingerprinted): string {
  const parts = [`**${finding.severity} · ${finding.category}** — ${neutralizeLine(finding.title)}`, ""];
  parts.push(neutralizeUntrusted(finding.body));
  if (finding.suggestion !== null && finding.placement === "inline") {
    // The suggestion is code the author may commit: only a forged marker is defused in it.
    parts.push("", fence("suggestion", defuseMarkers(finding.suggestion)));
  }
  // The note can quote a path, which comes from the pull request.
  if (finding.placementNote) parts.push("", `<sub>Placed here because it was ${neutralizeLine(finding.placementNote)}.</sub>`);
  const verification = formatVerification(finding);
  parts.push("", `<sub>${formatCredit(finding)}${verification ? ` · ${verification}` : ""}</sub>`);
  // Findings without identity (CLI output) carry no state.
  if ("fingerprint" in finding) parts.push(findingRecordMarker(finding, finding));
  return parts.join("\n");
}

/** A review body's finding line ends with the version 1 marker (identity only): findings there are not threads anyone fixes from. */
export function bodyMarkerFor(finding: PlacedFinding | Fingerprinted): string {
  if (!("fingerprint" in finding)) return "";
  return findingMarker({ fingerprint: finding.fingerprint, anchor: finding.anchor, severity: finding.severity, category: finding.category });
}

export function formatCredit(finding: Finding): string {
  const rule = finding.ruleId ? ` ${inlineCode(finding.ruleId)}` : "";
  const others = finding.corroboratedBy.join(", ");
  // After merging, an agent finding may carry the corroborating analyzer's rule id.
  if (finding.source === "agent") return `Longview · agent${others ? `; also reported by ${others}${rule}` : ""}`;
  return `Longview · ${finding.source}${rule}${others ? `; also reported by ${others}` : ""}`;
}

/** How the finding was checked, for the reader: the verifier's score and reason, or that nobody checked it. */
export function formatVerification(finding: Finding): string {
  const v = finding.verification;
  if (!v) return "";
  const score = v.score.toFixed(2);
  // The reason is model text about the pull request: untrusted.
  switch (v.status) {
    case "confirmed":
      return `verified (${score}): ${neutralizeLine(v.reason)}`;
    case "unverified":
      return `not verified (verification is off; the reviewer's confidence is ${score})`;
    case "failed":
      return `**not verified**: ${neutralizeLine(v.reason)}; it does not gate`;
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A finding as posted in one of Longview's review comments. */
export interface PostedFinding {
  readonly finding: Finding;
  readonly commentId: number;
  readonly fingerprint: string | null;
  /** Hash of the code line the finding was anchored to when posted (finds it again after lines move). */
  readonly anchor: string | null;
  readonly url: string | null;
}

/** The finding in one of Longview's review comments, or null when the comment is not a finding. */
export function findingFromComment(comment: ReviewComment): PostedFinding | null {
  const marker = parseFindingMarker(comment.body);
  const url = comment.html_url ?? null;
  if (marker?.finding) return { finding: marker.finding, commentId: comment.id, fingerprint: marker.fingerprint, anchor: marker.anchor, url };
  const parsed = parseFindingText(comment.body);
  if (parsed === null) return null;
  const line = comment.line ?? comment.original_line ?? 1;
  const startLine = comment.start_line ?? null;
  return {
    finding: {
      path: comment.path,
      line,
      startLine: startLine !== null && startLine < line ? startLine : null,
      side: comment.side ?? "RIGHT",
      severity: parsed.severity,
      category: parsed.category,
      title: parsed.title,
      body: parsed.body,
      suggestion: parsed.suggestion,
      // Not shown in the comment; a posted finding passed the review's filters.
      confidence: 1,
      source: parsed.source,
      ruleId: parsed.ruleId,
      corroboratedBy: parsed.corroboratedBy,
    },
    commentId: comment.id,
    fingerprint: marker?.fingerprint ?? null,
    anchor: marker?.anchor ?? null,
    url,
  };
}

/** Version 1 comments: the finding read from the visible text this module wrote before findings were stored whole. */
export interface FindingText {
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  readonly body: string;
  readonly suggestion: string | null;
  readonly source: FindingSource;
  readonly ruleId: string | null;
  readonly corroboratedBy: readonly FindingSource[];
}

const HEADER = new RegExp(`^\\*\\*(${SEVERITIES.join("|")}) · (${CATEGORIES.join("|")})\\*\\* — (.+)$`);
const HIDDEN_MARKER = /^<!--[\s\S]*-->$/;
/** `Longview · eslint \`rule\`; also reported by agent` or, for agent findings, `Longview · agent; also reported by eslint \`rule\``. */
const CREDIT = new RegExp(`^<sub>Longview · (${FINDING_SOURCES.join("|")})(.*)</sub>$`);
const CODE_SPAN = /(`+) ?(.+?) ?\1/;
const ALSO = /; also reported by ([a-z, -]+)/;
const FENCE_OPEN = /^(`{3,})suggestion\s*$/;

export function parseFindingText(body: string): FindingText | null {
  const lines = body.replace(/\r\n/g, "\n").split("\n");
  const start = lines.findIndex((line) => line.trim() !== "");
  const header = start === -1 ? null : HEADER.exec(lines[start]!.trim());
  if (!header) return null;

  const text: string[] = [];
  let suggestion: string | null = null;
  let credit: { source: FindingSource; ruleId: string | null; also: string | undefined } | null = null;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const close = lines.findIndex((l, j) => j > i && l.trim() === fence[1]);
      const end = close === -1 ? lines.length : close;
      suggestion = lines.slice(i + 1, end).join("\n");
      i = end;
      continue;
    }
    const creditMatch = CREDIT.exec(line.trim());
    if (creditMatch) {
      const rest = creditMatch[2] ?? "";
      credit = { source: creditMatch[1] as FindingSource, ruleId: CODE_SPAN.exec(rest)?.[2] ?? null, also: ALSO.exec(rest)?.[1] };
      continue;
    }
    // Placement notes and hidden markers are Longview's bookkeeping, not the finding.
    if (line.startsWith("<sub>") || HIDDEN_MARKER.test(line.trim())) continue;
    text.push(line);
  }
  const sources = (list: string | undefined): FindingSource[] =>
    (list ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s): s is FindingSource => (FINDING_SOURCES as readonly string[]).includes(s));
  return {
    severity: header[1] as Severity,
    category: header[2] as Category,
    title: header[3]!.trim(),
    body: text.join("\n").trim(),
    suggestion,
    source: credit?.source ?? "agent",
    ruleId: credit?.ruleId ?? null,
    corroboratedBy: sources(credit?.also),
  };
}
