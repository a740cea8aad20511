import { compareFindingsFully } from "../analyzers/run-analyzers.js";
import { familyOfRule, titleMatchesFamily } from "../analyzers/problem-families.js";
import { FINDING_SOURCES, isModelSource, severityRank, type Finding, type FindingSource } from "../domain/finding.js";

/**
 * One finding per problem. Two findings are the same problem when they are
 * on the same path and side, their line ranges overlap, and they say the same
 * thing, whatever category each gave it: the same rule (or rule family), an
 * agent title that names the analyzer rule's problem, titles sharing most of
 * their words, or (two model findings, e.g. from two windows or a window and
 * the synthesis) the same range quoting the same code. The merged finding keeps the most severe severity, the
 * agent's prose when an agent is involved, the analyzer's rule id, and lists
 * the other sources in `corroboratedBy`. Output order is deterministic.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const clusters: Finding[][] = [];
  const index = new ClusterIndex();
  for (const finding of [...findings].sort(compareFindingsFully)) {
    // The first cluster (in creation order) with a member describing the same problem.
    const id = index.candidates(finding).find((c) => clusters[c]!.some((member) => sameProblem(member, finding)));
    if (id !== undefined) {
      clusters[id]!.push(finding);
      index.add(id, finding, false);
      continue;
    }
    index.add(clusters.push([finding]) - 1, finding, true);
  }
  return clusters.map(combine).sort(compareFindingsFully);
}

/** Ranges longer than this are compared with every cluster of their file instead of being indexed line by line. */
const WIDE_RANGE = 64;

/**
 * Which clusters a finding could join: only those with a member on the same
 * path and side whose lines overlap the finding's (the preconditions
 * of `sameProblem`). Indexing by line keeps a pull request with thousands of
 * findings near-linear instead of comparing every finding with every cluster.
 */
class ClusterIndex {
  private readonly groups = new Map<string, { all: number[]; byLine: Map<number, Set<number>>; wide: Set<number> }>();

  add(id: number, finding: Finding, created: boolean): void {
    const group = this.group(finding);
    if (created) group.all.push(id);
    const range = narrowRange(finding);
    if (!range) {
      group.wide.add(id);
      return;
    }
    for (let line = range.from; line <= range.to; line++) {
      const ids = group.byLine.get(line);
      if (ids) ids.add(id);
      else group.byLine.set(line, new Set([id]));
    }
  }

  /** Cluster ids in creation order. */
  candidates(finding: Finding): number[] {
    const group = this.group(finding);
    const range = narrowRange(finding);
    if (!range) return group.all;
    const ids = new Set(group.wide);
    for (let line = range.from; line <= range.to; line++) for (const id of group.byLine.get(line) ?? []) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  private group(finding: Finding) {
    const key = `${finding.path}\0${finding.side}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { all: [], byLine: new Map(), wide: new Set() }));
    return group;
  }
}

/** The finding's lines when they form a short, well-formed range; null for anything to compare exhaustively. */
function narrowRange(finding: Finding): { from: number; to: number } | null {
  const from = finding.startLine ?? finding.line;
  const to = finding.line;
  return Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to && to - from <= WIDE_RANGE ? { from, to } : null;
}

export function sameProblem(a: Finding, b: Finding): boolean {
  if (a.path !== b.path || a.side !== b.side) return false;
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
  return similarTitles(a.title, b.title) || sameQuotedRange(a, b);
}

/** Two model findings on exactly the same lines quoting the same code: one problem seen twice. */
function sameQuotedRange(a: Finding, b: Finding): boolean {
  if (!isModelSource(a.source) || !isModelSource(b.source) || a.line !== b.line || a.startLine !== b.startLine) return false;
  const quoteA = normalizedQuote(a);
  return quoteA !== "" && quoteA === normalizedQuote(b);
}

function normalizedQuote(finding: Finding): string {
  return (finding.quote ?? "").replace(/\s+/g, " ").trim();
}

function combine(cluster: readonly Finding[]): Finding {
  // Sorted most severe first (compareFindingsFully), so the first agent finding is the most severe one;
  // a window's own finding is more precise than the synthesis pass's view across windows.
  const primary = cluster.find((f) => f.source === "agent") ?? cluster.find((f) => f.source === "synthesis") ?? pickMostSevere(cluster);
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

const STOP_WORDS = new Set([
  "the",
  "and",
  "for",
  "with",
  "from",
  "this",
  "that",
  "not",
  "are",
  "use",
  "used",
  "uses",
  "can",
  "may",
  "when",
  "into",
  "via",
  "its",
  "has",
  "have",
  "been",
  "being",
  "was",
  "will",
  "could",
  "should",
  "which",
  "value",
  "code",
]);

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
