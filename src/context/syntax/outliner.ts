import { languageOf } from "./languages.js";
import { indentationOutline } from "./indentation.js";
import type { Outline } from "./outline.js";
import { hasGrammar, treeSitterOutline } from "./tree-sitter.js";

/**
 * Outlines files for one plan. Tree-sitter parses at a few MB/s, so a plan
 * spends at most `treeSitterBytes` of source on it (files asked for first get
 * it first; the builder asks in review-priority order) and outlines the rest
 * with the indentation heuristic, which keeps the cost of a plan bounded
 * whatever the size of the pull request. Files over `maxFileBytes` always use
 * the heuristic. `quick` never parses: it reuses an outline made earlier or
 * uses the heuristic, for uses that only need names (the symbol index).
 */
export interface Outliner {
  outline(path: string, text: string, lines: readonly string[]): Outline;
  quick(path: string, lines: readonly string[]): Outline;
}

export interface OutlinerLimits {
  readonly treeSitterBytes: number;
  readonly maxFileBytes: number;
}

export const DEFAULT_OUTLINER_LIMITS: OutlinerLimits = { treeSitterBytes: 4_000_000, maxFileBytes: 1_000_000 };

export function createOutliner(limits: OutlinerLimits = DEFAULT_OUTLINER_LIMITS): Outliner {
  const full = new Map<string, Outline>();
  const heuristic = new Map<string, Outline>();
  let remaining = limits.treeSitterBytes;
  const byIndentation = (path: string, lines: readonly string[]): Outline => {
    let outline = heuristic.get(path);
    if (!outline) {
      outline = indentationOutline(lines);
      heuristic.set(path, outline);
    }
    return outline;
  };
  return {
    outline(path, text, lines) {
      const known = full.get(path);
      if (known) return known;
      let outline: Outline | null = null;
      const language = languageOf(path);
      if (language !== null && hasGrammar(language) && text.length <= limits.maxFileBytes && text.length <= remaining) {
        remaining -= text.length;
        outline = treeSitterOutline(language, text);
      }
      outline ??= byIndentation(path, lines);
      full.set(path, outline);
      return outline;
    },
    quick(path, lines) {
      return full.get(path) ?? byIndentation(path, lines);
    },
  };
}
