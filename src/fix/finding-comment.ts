import { CATEGORIES, FINDING_SOURCES, SEVERITIES, type Category, type Finding, type FindingSource, type Severity } from "../domain/finding.js";
import { parseFindingMarker } from "../review/markers.js";
import type { ReviewComment } from "./github-schemas.js";

/**
 * Longview's own finding comments, read back. Pure. The hidden marker
 * `<!-- longview:finding fp=HEX … -->` (review/markers.ts) carries the
 * finding's fingerprint when the comment has one; the visible header
 * `**P1 · security** — title` and the credit line (`Longview · eslint
 * \`rule\``, format-comment.ts) carry the rest.
 * Callers must check that the comment's author is Longview: anybody can
 * type the same text.
 */

/** A finding as posted in a review comment. */
export interface PostedFinding {
  readonly finding: Finding;
  readonly commentId: number;
  readonly fingerprint: string | null;
  readonly url: string | null;
}

export interface FindingText {
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  readonly body: string;
  readonly suggestion: string | null;
  readonly source: FindingSource;
  readonly ruleId: string | null;
  readonly corroboratedBy: readonly FindingSource[];
  readonly fingerprint: string | null;
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
    fingerprint: parseFindingMarker(body)?.fingerprint ?? null,
  };
}

/** The finding in one of Longview's review comments, or null when the comment is not a finding. */
export function findingFromComment(comment: ReviewComment): PostedFinding | null {
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
    fingerprint: parsed.fingerprint,
    url: comment.html_url ?? null,
  };
}
