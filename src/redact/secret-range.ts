/** A secret's position in a text: [start, end) in UTF-16 offsets, with what kind of secret it is. */
export interface SecretRange {
  readonly start: number;
  readonly end: number;
  /** Short kebab-case name used in the placeholder, e.g. `aws-access-key`. */
  readonly kind: string;
}

/** Sorted, non-overlapping ranges; overlapping ranges merge and keep the kind of the one starting first (the longer on ties). */
export function mergeRanges(ranges: readonly SecretRange[]): SecretRange[] {
  const sorted = ranges
    .filter((range) => range.end > range.start)
    .slice()
    .sort((a, b) => a.start - b.start || b.end - a.end || a.kind.localeCompare(b.kind));
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
