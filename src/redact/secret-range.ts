/** A secret's position in a text: [start, end) in UTF-16 offsets, with what kind of secret it is. */
export interface SecretRange {
  readonly start: number;
  readonly end: number;
  /** Short kebab-case name used in the placeholder, e.g. `aws-access-key`. */
  readonly kind: string;
}

/** Kinds that say only where a value was, not what it is: a specific kind found for the same range wins. */
const GENERIC_KINDS: ReadonlySet<string> = new Set(["credential", "env-value"]);

/**
 * Sorted, non-overlapping ranges; overlapping ranges merge and keep the kind
 * of the one starting first (the longer on ties, then the more specific).
 */
export function mergeRanges(ranges: readonly SecretRange[]): SecretRange[] {
  const sorted = ranges
    .filter((range) => range.end > range.start)
    .slice()
    .sort((a, b) => a.start - b.start || b.end - a.end || genericRank(a) - genericRank(b) || a.kind.localeCompare(b.kind));
  const merged: SecretRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start < last.end) {
      if (range.end > last.end) merged[merged.length - 1] = { ...last, end: range.end };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

function genericRank(range: SecretRange): number {
  return GENERIC_KINDS.has(range.kind) ? 1 : 0;
}

/** Ranges in several files (what the analyzers flagged) as each file's own ranges. */
export function rangesByPath(ranges: readonly (SecretRange & { readonly path: string })[]): Map<string, SecretRange[]> {
  const byPath = new Map<string, SecretRange[]>();
  for (const { path, start, end, kind } of ranges) {
    const list = byPath.get(path) ?? [];
    list.push({ start, end, kind });
    byPath.set(path, list);
  }
  return byPath;
}
