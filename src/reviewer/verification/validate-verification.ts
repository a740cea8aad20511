import type { Verdict } from "../../domain/finding.js";
import type { VerificationOutput } from "./verification-schema.js";

/**
 * The verifier's answer → one verdict per known candidate id. Unknown ids and
 * repeated answers are ignored (first answer wins); scores are clamped to
 * 0..1 and reasons kept to one bounded line. Candidates without an answer are
 * listed: the caller treats them as not verified. Pure.
 */

export interface CandidateVerdict {
  readonly verdict: Verdict;
  readonly score: number;
  readonly reason: string;
}

export const REASON_CHARS = 240;

export function validateVerification(
  output: VerificationOutput,
  ids: readonly string[],
): { readonly verdicts: ReadonlyMap<string, CandidateVerdict>; readonly unanswered: readonly string[]; readonly problems: readonly string[] } {
  const known = new Set(ids);
  const verdicts = new Map<string, CandidateVerdict>();
  const problems: string[] = [];
  for (const raw of output.verdicts) {
    const id = raw.id.trim();
    if (!known.has(id)) {
      problems.push(`ignored a verdict for unknown candidate "${oneLine(raw.id, 40)}"`);
      continue;
    }
    if (verdicts.has(id)) {
      problems.push(`ignored a second verdict for ${id}`);
      continue;
    }
    const score = Number.isFinite(raw.score) ? Math.min(1, Math.max(0, raw.score)) : 0;
    const reason = oneLine(raw.reason, REASON_CHARS) || "(no reason given)";
    verdicts.set(id, { verdict: raw.verdict, score, reason });
  }
  const unanswered = ids.filter((id) => !verdicts.has(id));
  if (unanswered.length > 0) problems.push(`no verdict for ${unanswered.join(", ")}`);
  return { verdicts, unanswered, problems };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
