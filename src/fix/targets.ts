import { compareFindings } from "../domain/finding.js";
import { evaluateGate, type GatePolicy } from "../review/gate.js";
import { normalizePath } from "./edit-policy.js";
import type { PostedFinding } from "../github/finding-comment.js";

/**
 * Which findings a `/agent fix` on the conversation is about. Pure. The
 * instructions may name findings by file path, rule id or title words;
 * without that, the open findings that fail the gate are the targets.
 */

export interface TargetSelection {
  readonly targets: readonly PostedFinding[];
  readonly by: "named" | "gate";
}

/** The same finding posted by several reviews (one per push) counts once: the latest comment. */
export function latestPerFinding(findings: readonly PostedFinding[]): PostedFinding[] {
  const byKey = new Map<string, PostedFinding>();
  for (const posted of findings) {
    const f = posted.finding;
    const key = posted.fingerprint ?? `${f.path}\u0000${f.ruleId ?? ""}\u0000${f.title}`;
    const seen = byKey.get(key);
    if (!seen || seen.commentId < posted.commentId) byKey.set(key, posted);
  }
  return [...byKey.values()].sort((a, b) => compareFindings(a.finding, b.finding));
}

export function selectTargets(open: readonly PostedFinding[], instructions: string, gate: GatePolicy): TargetSelection {
  const findings = latestPerFinding(open);
  const named = findings.filter((posted) => isNamed(posted, instructions));
  if (named.length > 0) return { targets: named, by: "named" };
  const gating = evaluateGate(
    findings.map((p) => p.finding),
    gate,
  ).gating;
  return { targets: findings.filter((p) => gating.includes(p.finding)), by: "gate" };
}

const STOP_WORDS = new Set([
  "this",
  "that",
  "with",
  "from",
  "into",
  "when",
  "used",
  "uses",
  "than",
  "then",
  "also",
  "only",
  "please",
  "should",
  "could",
  "would",
  "there",
  "their",
  "fix",
  "fixes",
  "the",
  "and",
  "for",
]);

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_$]+/g) ?? []).filter((w) => w.length >= 4 && !STOP_WORDS.has(w));
}

/** True when the instructions point at this finding: its path (or file name), rule id, or most of its title's words. */
export function isNamed(posted: PostedFinding, instructions: string): boolean {
  const text = instructions.toLowerCase();
  if (text.trim() === "") return false;
  const { path, ruleId, title } = posted.finding;
  const tokens = new Set(text.split(/[\s,;()`'"]+/).map((t) => normalizePath(t.replace(/[.:]+$/, ""))));
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (tokens.has(path.toLowerCase()) || (base.includes(".") && tokens.has(base))) return true;
  if (ruleId !== null && tokens.has(ruleId.toLowerCase())) return true;
  const titleWords = [...new Set(words(title))];
  if (titleWords.length === 0) return false;
  const said = new Set(words(text));
  const hits = titleWords.filter((w) => said.has(w)).length;
  return hits >= Math.min(2, titleWords.length);
}

/** Repository paths among `known` that the instructions name literally (to let a fix edit them too). */
export function namedPaths(instructions: string, known: Iterable<string>): string[] {
  const tokens = new Set(instructions.split(/[\s,;()`'"]+/).map((t) => normalizePath(t.replace(/[.:]+$/, ""))));
  return [...known].filter((path) => tokens.has(path));
}
