import { createHash } from "node:crypto";
import type { ExpectedIssue } from "../../src/eval/case-schema.js";
import { DEFAULT_TOLERANCE, isCompatibleCategory, locate } from "../../src/eval/match.js";

/**
 * A SIMULATED model for `npm run eval:scripted`. It is not a model and
 * measures no model's judgement: it reads the dataset's labels and answers
 * like an imperfect reviewer whose error rates are set here, so that the
 * pipeline's mechanics (quote checks, scope, merging, verification, matching,
 * the eval's own bookkeeping) can be measured end to end without a key.
 *
 * Window reviews: each labelled issue in the window is reported with a
 * correct quote of its line, or missed, or misquoted (a quote found nowhere:
 * dropped for evidence; or the quote of a neighbouring changed line: moved
 * there). Plausible false positives are added on changed lines (a few on
 * surrounding code, which the scope check drops), some twice under a second
 * category (merged). Verification: candidates on a label (by eval's own
 * location and category rule) are confirmed, others rejected, each with
 * stated error rates. Every draw is a hash of the seed and what is decided
 * (case, label, file, line), never of request order: a run is reproducible
 * at any concurrency. Pure.
 */

/** The model name the simulation answers as; it appears in result.json and the report. */
export const SIMULATED_MODEL = "scripted-simulation";

export interface SimulationRates {
  /** Per labelled issue shown in a window; the rest is reported correctly. */
  readonly miss: number;
  /** Quote with a wrong identifier: no line has it, so the evidence check drops the finding. */
  readonly garbledQuote: number;
  /** Quote of another changed line near the issue: the evidence check moves the finding there. */
  readonly neighbourQuote: number;
  /** Of the reported issues: severity one level off. */
  readonly severityOff: number;
  /** Per changed file shown in a window: at least one false positive; then a second one. */
  readonly falsePositive: number;
  readonly secondFalsePositive: number;
  /** Of the false positives: reported again under a second category (same line and quote: merged). */
  readonly duplicate: number;
  /** Of the false positives: on surrounding code outside the diff (dropped for scope), when the window shows some. */
  readonly surrounding: number;
  /** The verifier on a candidate that is on a label: rejects, or is unsure (the rest is confirmed at 0.6–0.95). */
  readonly rejectTrue: number;
  readonly uncertainTrue: number;
  /** The verifier on a candidate on no label: confirms at 0.55–0.9, confirms below minScore (0.3–0.45), or is unsure (the rest is rejected). */
  readonly confirmFalse: number;
  readonly lowConfirmFalse: number;
  readonly uncertainFalse: number;
}

export const DEFAULT_RATES: SimulationRates = {
  miss: 0.12,
  garbledQuote: 0.08,
  neighbourQuote: 0.06,
  severityOff: 0.2,
  falsePositive: 0.55,
  secondFalsePositive: 0.3,
  duplicate: 0.3,
  surrounding: 0.12,
  rejectTrue: 0.1,
  uncertainTrue: 0.05,
  confirmFalse: 0.15,
  lowConfirmFalse: 0.05,
  uncertainFalse: 0.1,
};

/** What the simulation knows of a case: its id, the PR title it is recognised by, and its labels. */
export interface SimCase {
  readonly id: string;
  readonly title: string;
  readonly expected: readonly ExpectedIssue[];
}

/** A uniform draw in [0, 1) from the seed and the decision's key. */
export function draw(seed: string, ...key: readonly (string | number)[]): number {
  const digest = createHash("sha256")
    .update([seed, ...key].join("\u0000"))
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

// --- windows ---------------------------------------------------------------------------------

export interface ShownLine {
  readonly side: "RIGHT" | "LEFT";
  readonly line: number;
  readonly kind: "add" | "context" | "del" | "surrounding";
  readonly text: string;
}

export interface ShownFile {
  readonly path: string;
  readonly lines: readonly ShownLine[];
}

export interface ParsedWindow {
  readonly title: string | null;
  readonly files: readonly ShownFile[];
}

const CODE_LINE = /^([RL~])(\d+) ([+|-]) ?(.*)$/;
const FILE_HEADER = /^## (.+) \((?:new file|deleted file|renamed from .*|copied from .*|[a-z]+)\)$/;

/** The PR title and the code under review of a window request's text (context/render.ts's format). */
export function parseWindow(text: string): ParsedWindow {
  const title = /^Title: (.*)$/m.exec(text)?.[1] ?? null;
  const files: { path: string; lines: ShownLine[] }[] = [];
  let local = false;
  let current: { path: string; lines: ShownLine[] } | null = null;
  for (const line of text.split("\n")) {
    if (line === "# Code under review") {
      local = true;
      continue;
    }
    if (!local) continue;
    // Peripheral or impact sections, or the end of the delimited block.
    if (line.startsWith("# ") || line.startsWith("</")) {
      local = false;
      current = null;
      continue;
    }
    const header = FILE_HEADER.exec(line);
    if (header) {
      current = { path: header[1]!, lines: [] };
      files.push(current);
      continue;
    }
    const code = CODE_LINE.exec(line);
    if (!code || !current) continue;
    const [, tag, number, marker, rest] = code;
    // A line cut for size is not quotable as shown.
    if (rest!.includes("[... line cut:")) continue;
    const kind = tag === "~" ? "surrounding" : tag === "L" ? "del" : marker === "+" ? "add" : "context";
    current.lines.push({ side: tag === "L" ? "LEFT" : "RIGHT", line: Number(number), kind, text: rest! });
  }
  return { title, files };
}

// --- the window reviewer ---------------------------------------------------------------------

/** One finding as the review's structured output has it (reviewer/output-schema.ts). */
export interface OutputFinding {
  readonly path: string;
  readonly line: number;
  readonly start_line: number | null;
  readonly side: "LEFT" | "RIGHT";
  readonly quote: string;
  readonly severity: "P0" | "P1" | "P2" | "P3";
  readonly category: "bug" | "security" | "performance" | "other";
  readonly title: string;
  readonly body: string;
  readonly suggestion: string | null;
  readonly confidence: number;
}

/** What the simulated reviewer decided, for the run's summary. */
export type ReviewEvent = "reported" | "missed" | "garbled" | "neighbour" | "false-positive" | "duplicate" | "surrounding";

export interface SimulatedReview {
  readonly findings: readonly OutputFinding[];
  readonly events: readonly ReviewEvent[];
}

const CATEGORIES = ["bug", "security", "performance"] as const;
const SEVERITIES = ["P0", "P1", "P2", "P3"] as const;

/** Plausible titles of findings that are not defects in these cases. */
const FALSE_POSITIVE_TITLES: Readonly<Record<(typeof CATEGORIES)[number], readonly string[]>> = {
  bug: [
    "Possible null dereference of this value",
    "Error returned here is not handled",
    "Loop bound may be off by one",
    "Value may be used before it is initialized",
  ],
  security: ["Input reaches this call without validation", "Sensitive value may end up in logs", "No authorization check before this operation"],
  performance: ["Repeated work inside a loop", "Allocation on every call could be hoisted", "Synchronous call may block the event loop"],
};

export function simulateReview(c: SimCase, window: ParsedWindow, seed: string, rates: SimulationRates = DEFAULT_RATES): SimulatedReview {
  const findings: OutputFinding[] = [];
  const events: ReviewEvent[] = [];
  c.expected.forEach((issue, index) => {
    const shown = labelLines(issue, window);
    if (shown === null) return;
    const { file, lines } = shown;
    const u = draw(seed, c.id, "label", index);
    if (u < rates.miss) {
      events.push("missed");
      return;
    }
    const anchor = lines.find((l) => l.kind === "add") ?? lines[0]!;
    let quote = anchor.text;
    let event: ReviewEvent = "reported";
    if (u < rates.miss + rates.garbledQuote) {
      quote = garble(anchor.text, file);
      event = "garbled";
    } else if (u < rates.miss + rates.garbledQuote + rates.neighbourQuote) {
      const neighbour = nearestOther(file, anchor, issue);
      if (neighbour) {
        quote = neighbour.text;
        event = "neighbour";
      }
    }
    events.push(event);
    const rank = SEVERITIES.indexOf(issue.severity);
    const off = draw(seed, c.id, "label", index, "severity") < rates.severityOff;
    findings.push({
      path: file.path,
      line: anchor.line,
      start_line: null,
      side: "RIGHT",
      quote,
      severity: SEVERITIES[off ? (rank === 3 ? 2 : rank + 1) : rank]!,
      category: issue.category === "any" ? "bug" : issue.category,
      title: titleOf(issue.description),
      body: `[simulated finding for a labelled issue] ${issue.description}`,
      suggestion: null,
      confidence: round(0.6 + 0.35 * draw(seed, c.id, "label", index, "confidence")),
    });
  });

  for (const file of window.files) {
    const added = file.lines.filter((l) => l.kind === "add" && l.text.trim().length >= 6 && !nearLabel(c, file.path, l.line));
    if (added.length === 0) continue;
    const key = [c.id, file.path, file.lines[0]?.line ?? 0] as const;
    const count = draw(seed, ...key, "fp") < rates.falsePositive ? (draw(seed, ...key, "fp2") < rates.secondFalsePositive ? 2 : 1) : 0;
    const used = new Set<number>();
    for (let k = 0; k < count; k++) {
      const surrounding = file.lines.filter((l) => l.kind === "surrounding" && l.text.trim().length >= 6 && !nearLabel(c, file.path, l.line));
      const onSurrounding = surrounding.length > 0 && draw(seed, ...key, k, "surrounding") < rates.surrounding;
      const pool = onSurrounding ? surrounding : added.filter((l) => !used.has(l.line));
      if (pool.length === 0) break;
      const at = pool[Math.floor(draw(seed, ...key, k, "line") * pool.length)]!;
      used.add(at.line);
      const category = CATEGORIES[Math.floor(draw(seed, ...key, k, "category") * CATEGORIES.length)]!;
      const severity = draw(seed, ...key, k, "severity") < 0.6 ? "P2" : draw(seed, ...key, k, "severity2") < 0.5 ? "P3" : "P1";
      const fp = (cat: (typeof CATEGORIES)[number], salt: string): OutputFinding => {
        const titles = FALSE_POSITIVE_TITLES[cat];
        return {
          path: file.path,
          line: at.line,
          start_line: null,
          side: "RIGHT",
          quote: at.text,
          severity,
          category: cat,
          title: titles[Math.floor(draw(seed, ...key, k, salt) * titles.length)]!,
          body: "[simulated false positive] Plausible-looking concern that no label backs.",
          suggestion: null,
          confidence: round(0.35 + 0.45 * draw(seed, ...key, k, salt, "confidence")),
        };
      };
      findings.push(fp(category, "title"));
      events.push(onSurrounding ? "surrounding" : "false-positive");
      if (!onSurrounding && draw(seed, ...key, k, "duplicate") < rates.duplicate) {
        const other = CATEGORIES[(CATEGORIES.indexOf(category) + 1 + Math.floor(draw(seed, ...key, k, "other") * 2)) % CATEGORIES.length]!;
        findings.push(fp(other, "title2"));
        events.push("duplicate");
      }
    }
  }
  return { findings, events };
}

/** The window's shown RIGHT lines of a label, or null when the window does not show them. */
function labelLines(issue: ExpectedIssue, window: ParsedWindow): { file: ShownFile; lines: ShownLine[] } | null {
  const files = issue.path === null ? window.files : window.files.filter((f) => f.path === issue.path);
  for (const file of files) {
    const right = file.lines.filter((l) => l.kind === "add" || l.kind === "context");
    const lines =
      issue.lineStart === null || issue.lineEnd === null
        ? right.filter((l) => l.kind === "add").slice(0, 1)
        : right.filter((l) => l.line >= issue.lineStart! && l.line <= issue.lineEnd!);
    if (lines.length > 0) return { file, lines };
  }
  return null;
}

/** A line far enough from every label of the file that a finding on it cannot match one by accident. */
function nearLabel(c: SimCase, path: string, line: number): boolean {
  return c.expected.some(
    (e) =>
      e.path === null ||
      (e.path === path &&
        (e.lineStart === null || (line >= e.lineStart - DEFAULT_TOLERANCE - 1 && line <= (e.lineEnd ?? e.lineStart) + DEFAULT_TOLERANCE + 1))),
  );
}

/** The quote with one identifier misremembered (pluralised), checked to be on no shown line. */
function garble(text: string, file: ShownFile): string {
  let garbled = text.replace(/[A-Za-z_][A-Za-z0-9_]{2,}/, (word) => `${word}s`);
  if (garbled === text) garbled = `${text} /* sic */`;
  while (file.lines.some((l) => l.text.includes(garbled.trim()))) garbled = `${garbled}s`;
  return garbled;
}

/** The nearest other changed line outside the label's range, with enough text to quote. */
function nearestOther(file: ShownFile, anchor: ShownLine, issue: ExpectedIssue): ShownLine | null {
  const outside = file.lines.filter(
    (l) =>
      l.kind === "add" &&
      l.line !== anchor.line &&
      l.text.trim().length >= 6 &&
      (issue.lineStart === null || l.line < issue.lineStart || l.line > (issue.lineEnd ?? issue.lineStart)),
  );
  return outside.sort((a, b) => Math.abs(a.line - anchor.line) - Math.abs(b.line - anchor.line))[0] ?? null;
}

/** The label's first sentence as a title (at most 100 characters). */
export function titleOf(description: string): string {
  const first =
    description
      .replace(/\s+/g, " ")
      .trim()
      .split(/(?<=[.;:])\s/)[0] ?? "";
  const title = first.replace(/[.;:]$/, "");
  return title.length <= 100 ? title : `${title.slice(0, 99).trimEnd()}…`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

// --- the verifier ------------------------------------------------------------------------------

export interface VerifyCandidate {
  readonly id: string;
  readonly path: string;
  readonly line: number;
  readonly startLine: number | null;
  readonly side: "LEFT" | "RIGHT";
  readonly category: "bug" | "security" | "performance" | "other";
  readonly severity: "P0" | "P1" | "P2" | "P3";
  readonly title: string;
}

const CANDIDATE = /^### (F\d+)\nWhere: (?:line (\d+)|lines (\d+)-(\d+)) \((RIGHT|LEFT)[^\n]*\nClaim: (P[0-3]) (bug|security|performance|other): ([^\n]*)$/gm;

/** The batch's file and candidates from a verification request's text (reviewer/verification/verification-input.ts's format). */
export function parseVerification(text: string): { readonly path: string | null; readonly candidates: readonly VerifyCandidate[] } {
  const path = /^# File: (.*)$/m.exec(text)?.[1] ?? null;
  const candidates: VerifyCandidate[] = [];
  if (path === null) return { path, candidates };
  for (const m of text.matchAll(CANDIDATE)) {
    const single = m[2] !== undefined;
    candidates.push({
      id: m[1]!,
      path,
      line: Number(single ? m[2] : m[4]),
      startLine: single ? null : Number(m[3]),
      side: m[5] as "LEFT" | "RIGHT",
      severity: m[6] as VerifyCandidate["severity"],
      category: m[7] as VerifyCandidate["category"],
      title: m[8]!,
    });
  }
  return { path, candidates };
}

export interface SimulatedVerdict {
  readonly id: string;
  readonly verdict: "confirmed" | "rejected" | "uncertain";
  readonly score: number;
  readonly reason: string;
}

/** Whether the candidate lies on a label of one of the cases, by eval's own rule (location within the tolerance, compatible category). */
export function onLabel(candidate: VerifyCandidate, cases: readonly SimCase[]): boolean {
  return cases.some((c) => c.expected.some((e) => isCompatibleCategory(e.category, candidate.category) && locate(e, candidate, DEFAULT_TOLERANCE) !== null));
}

/**
 * One verdict per candidate. `cases` are the cases the candidate's title was
 * reported in (the verifier request names no case); none known: uncertain.
 */
export function simulateVerdict(candidate: VerifyCandidate, cases: readonly SimCase[], seed: string, rates: SimulationRates = DEFAULT_RATES): SimulatedVerdict {
  const { id } = candidate;
  const key = [cases.map((c) => c.id).join(","), candidate.path, candidate.line, candidate.category, candidate.title] as const;
  if (cases.length === 0) return { id, verdict: "uncertain", score: 0.4, reason: "[simulated] the simulation did not report this finding" };
  const u = draw(seed, "verify", ...key);
  const s = draw(seed, "verify", ...key, "score");
  if (onLabel(candidate, cases)) {
    if (u < rates.rejectTrue) return { id, verdict: "rejected", score: round(0.1 + 0.2 * s), reason: "[simulated] wrongly rejected: a labelled issue" };
    if (u < rates.rejectTrue + rates.uncertainTrue)
      return { id, verdict: "uncertain", score: round(0.3 + 0.2 * s), reason: "[simulated] unsure about a labelled issue" };
    return { id, verdict: "confirmed", score: round(0.6 + 0.35 * s), reason: "[simulated] confirmed: a labelled issue" };
  }
  if (u < rates.confirmFalse) return { id, verdict: "confirmed", score: round(0.55 + 0.35 * s), reason: "[simulated] wrongly confirmed: no label here" };
  if (u < rates.confirmFalse + rates.lowConfirmFalse)
    return { id, verdict: "confirmed", score: round(0.3 + 0.15 * s), reason: "[simulated] weakly confirmed: no label here" };
  if (u < rates.confirmFalse + rates.lowConfirmFalse + rates.uncertainFalse)
    return { id, verdict: "uncertain", score: round(0.3 + 0.2 * s), reason: "[simulated] unsure: no label here" };
  return { id, verdict: "rejected", score: round(0.05 + 0.25 * s), reason: "[simulated] rejected: no label here" };
}
