import { z } from "zod";
import type { Category, Finding, Severity } from "../domain/finding.js";
import { CATEGORIES, CategorySchema, FINDING_SOURCES, SEVERITIES, SeveritySchema, VERIFICATION_STATUSES } from "../domain/finding.js";

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
  /**
   * The whole finding as posted (version 2 markers). Null for comments
   * written before findings were stored whole (version 1): their text is then
   * read from the visible comment (finding-comment.ts).
   */
  readonly finding: Finding | null;
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

/**
 * Version 1, identity only: still written at line ends in review bodies
 * (findings listed there are not threads anyone fixes from), and read from
 * comments posted before version 2.
 */
export function findingMarker(marker: Omit<FindingMarker, "finding">): string {
  return `<!-- longview:finding fp=${marker.fingerprint} anchor=${marker.anchor ?? "-"} sev=${marker.severity} cat=${marker.category} -->`;
}

/** Bounds of a stored finding: the record must fit in a comment with the visible text (GitHub: 65,536 characters). */
export const MAX_RECORD_TEXT = { title: 300, body: 8_000, suggestion: 8_000, path: 1_024, ruleId: 200, reason: 300 } as const;
/** Longer encoded data is not Longview's (bounded records never reach it): not parsed at all. */
const MAX_RECORD_CHARS = 40_000;

const FindingRecordSchema = z.object({
  v: z.literal(2),
  fp: z.string().regex(/^[0-9a-f]{16}$/),
  anchor: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .nullable(),
  path: z.string().min(1).max(MAX_RECORD_TEXT.path),
  line: z.number().int().positive(),
  startLine: z.number().int().positive().nullable(),
  side: z.enum(["LEFT", "RIGHT"]),
  severity: SeveritySchema,
  category: CategorySchema,
  title: z.string().max(MAX_RECORD_TEXT.title),
  body: z.string().max(MAX_RECORD_TEXT.body),
  suggestion: z.string().max(MAX_RECORD_TEXT.suggestion).nullable(),
  confidence: z.number().min(0).max(1),
  source: z.enum(FINDING_SOURCES),
  ruleId: z.string().max(MAX_RECORD_TEXT.ruleId).nullable(),
  corroboratedBy: z.array(z.enum(FINDING_SOURCES)).max(FINDING_SOURCES.length),
  // Absent from records written before verification, and for deterministic findings.
  verification: z.object({ status: z.enum(VERIFICATION_STATUSES), score: z.number().min(0).max(1), reason: z.string().max(MAX_RECORD_TEXT.reason) }).optional(),
});
type FindingRecord = z.infer<typeof FindingRecordSchema>;

/**
 * Version 2: the whole finding, as JSON in base64url (which cannot close the
 * comment or hold a line break). What `/agent fix` and later reviews need is
 * read from here, never scraped from the visible text, so the visible format
 * can change without breaking findings already posted.
 */
export function findingRecordMarker(finding: Finding, identity: { readonly fingerprint: string; readonly anchor: string | null }): string {
  const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
  const record: FindingRecord = {
    v: 2,
    fp: identity.fingerprint,
    anchor: identity.anchor,
    path: cut(finding.path, MAX_RECORD_TEXT.path),
    line: finding.line,
    startLine: finding.startLine,
    side: finding.side,
    severity: finding.severity,
    category: finding.category,
    title: cut(finding.title, MAX_RECORD_TEXT.title),
    body: cut(finding.body, MAX_RECORD_TEXT.body),
    // A cut suggestion would be wrong code: left out instead.
    suggestion: finding.suggestion !== null && finding.suggestion.length <= MAX_RECORD_TEXT.suggestion ? finding.suggestion : null,
    confidence: Math.min(1, Math.max(0, finding.confidence)),
    source: finding.source,
    ruleId: finding.ruleId === null ? null : cut(finding.ruleId, MAX_RECORD_TEXT.ruleId),
    corroboratedBy: [...new Set(finding.corroboratedBy)],
    // The gate and "Fix all" read the score back from here.
    ...(finding.verification
      ? {
          verification: {
            status: finding.verification.status,
            score: Math.min(1, Math.max(0, finding.verification.score)),
            reason: cut(finding.verification.reason, MAX_RECORD_TEXT.reason),
          },
        }
      : {}),
  };
  // A record its own reader would refuse (no path, a line of 0) keeps the finding's identity at least.
  if (!FindingRecordSchema.safeParse(record).success)
    return findingMarker({ fingerprint: identity.fingerprint, anchor: identity.anchor, severity: finding.severity, category: finding.category });
  return `<!-- longview:finding v2 data=${Buffer.from(JSON.stringify(record), "utf8").toString("base64url")} -->`;
}

const RECORD_RE = /^<!-- longview:finding v2 data=([A-Za-z0-9_-]+) -->$/;

export function parseFindingMarker(body: string | null | undefined): FindingMarker | null {
  const line = lastLine(body);
  const record = RECORD_RE.exec(line);
  if (record?.[1]) return record[1].length <= MAX_RECORD_CHARS ? parseRecord(record[1]) : null;
  const m = anchoredWhole(FINDING_RE).exec(line);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  return { fingerprint: m[1], anchor: m[2] === "-" ? null : m[2], severity: m[3] as Severity, category: m[4] as Category, finding: null };
}

function parseRecord(data: string): FindingMarker | null {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
  } catch {
    // Not JSON: not a marker Longview wrote.
    return null;
  }
  const parsed = FindingRecordSchema.safeParse(json);
  if (!parsed.success) return null;
  const { v: _version, fp, anchor, ...finding } = parsed.data;
  return { fingerprint: fp, anchor, severity: finding.severity, category: finding.category, finding };
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
