import { compareFindingsFully } from "../analyzers/run-analyzers.js";
import { familyOfRule, titleMatchesFamily } from "../analyzers/problem-families.js";
import { FINDING_SOURCES, severityRank, type Finding, type FindingSource } from "../domain/finding.js";

/**
 * One finding per problem. Two findings are the same problem when they are
 * on the same path and side, their line ranges overlap, they have the same
 * category, and they say the same thing: the same rule (or rule family), an
 * agent title that names the analyzer rule's problem, or titles sharing most
 * of their words. The merged finding keeps the most severe severity, the
 * agent's prose when an agent is involved, the analyzer's rule id, and lists
 * the other sources in `corroboratedBy`. Output order is deterministic.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const clusters: Finding[][] = [];
  for (const finding of [...findings].sort(compareFindingsFully)) {
    const cluster = clusters.find((members) => members.some((member) => sameProblem(member, finding)));
    if (cluster) cluster.push(finding);
    else clusters.push([finding]);
  }
  return clusters.map(combine).sort(compareFindingsFully);
}

export function sameProblem(a: Finding, b: Finding): boolean {
  if (a.path !== b.path || a.side !== b.side || a.category !== b.category) return false;
  if ((a.startLine ?? a.line) > b.line || (b.startLine ?? b.line) > a.line) return false;
  if (a.ruleId !== null && b.ruleId !== null) {
    if (a.ruleId === b.ruleId) return true;
    const family = familyOfRule(a.ruleId);
    return family !== null && family === familyOfRule(b.ruleId);
  }
  const ruled = a.ruleId !== null ? a : b.ruleId !== null ? b : null;
  const other = ruled === a ? b : a;
  const family = ruled?.ruleId ? familyOfRule(ruled.ruleId) : null;
  if (family !== null && titleMatchesFamily(other.title, family)) return true;
  return similarTitles(a.title, b.title);
}

function combine(cluster: readonly Finding[]): Finding {
  // Sorted most severe first (compareFindingsFully), so the first agent finding is the most severe one.
  const primary = cluster.find((f) => f.source === "agent") ?? pickMostSevere(cluster);
  if (cluster.length === 1) return primary;
  const severity = cluster.reduce((best, f) => (severityRank(f.severity) < severityRank(best) ? f.severity : best), primary.severity);
  const ruleId = primary.ruleId ?? cluster.find((f) => f.ruleId !== null)?.ruleId ?? null;
  const sameRange = (f: Finding): boolean => f.line === primary.line && f.startLine === primary.startLine;
  const suggestion = primary.suggestion ?? cluster.find((f) => f.suggestion !== null && sameRange(f))?.suggestion ?? null;
  const sources = new Set<FindingSource>(cluster.flatMap((f) => [f.source, ...f.corroboratedBy]));
  sources.delete(primary.source);
  return {
    ...primary,
    severity,
    ruleId,
    suggestion,
    confidence: Math.max(...cluster.map((f) => f.confidence)),
    corroboratedBy: FINDING_SOURCES.filter((source) => sources.has(source)),
  };
}

function pickMostSevere(cluster: readonly Finding[]): Finding {
  return cluster.reduce((best, f) =>
    severityRank(f.severity) < severityRank(best.severity) || (f.severity === best.severity && f.confidence > best.confidence) ? f : best,
  );
}

const STOP_WORDS = new Set(["the", "and", "for", "with", "from", "this", "that", "not", "are", "use", "used", "uses", "can", "may", "when", "into", "via", "its", "has", "have", "been", "being", "was", "will", "could", "should", "which", "value", "code"]);

function significantWords(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^a-z0-9$]+/)
      .filter((word) => word.length >= 3 && !STOP_WORDS.has(word))
      .map((word) => (word.length > 4 && word.endsWith("s") ? word.slice(0, -1) : word)),
  );
}

/** Titles sharing at least two significant words and most of the shorter title's words. */
export function similarTitles(a: string, b: string): boolean {
  const wordsA = significantWords(a);
  const wordsB = significantWords(b);
  let shared = 0;
  for (const word of wordsA) if (wordsB.has(word)) shared++;
  return shared >= 2 && shared / Math.min(wordsA.size, wordsB.size) >= 0.6;
}
