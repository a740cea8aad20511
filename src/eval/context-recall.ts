import type { ExpectedIssue } from "./case-schema.js";

/**
 * Context recall: does what the windows show, before the model calls any
 * tool, contain the line that proves each expected issue? Read from the
 * rendered window text itself (what the model is sent), not from the plan's
 * data structures, so nothing shown is missed and nothing unshown is counted.
 */

const FILE_HEADER = /^## (.+) \((?:modified|new file|deleted file|binary|mode-only|renamed from .*|copied from .*)\)$/;
const CODE_LINE = /^([R~])(\d+) [+|]/;
const SECTION = /^# /;
/** `path:line` cited in a peripheral or impact line ("- call src/a.ts:12: …", "- src/a.ts:3 function …"). */
const CITED = /(?:^|\s)([^\s:]+):(\d+)(?=[:\s]|$)/g;

/** Every head-side `path:line` the rendered windows show. */
export function shownLocations(renderedWindows: readonly string[]): Set<string> {
  const shown = new Set<string>();
  for (const text of renderedWindows) {
    let file: string | null = null;
    for (const line of text.split("\n")) {
      const header = FILE_HEADER.exec(line);
      if (header) {
        file = header[1]!;
        continue;
      }
      if (SECTION.test(line)) file = null;
      const code = CODE_LINE.exec(line);
      if (code && file !== null) {
        shown.add(`${file}:${code[2]}`);
        continue;
      }
      if (line.startsWith("- ")) for (const m of line.matchAll(CITED)) shown.add(`${m[1]}:${m[2]}`);
    }
  }
  return shown;
}

export interface EvidenceOutcome {
  /** Evidence lines the case has (explicit evidence, else each located issue's range counts as one). */
  readonly evidence: number;
  readonly shown: number;
}

/** How many of a case's evidence lines are shown; an issue without lines or explicit evidence has none. */
export function evidenceShown(expected: readonly ExpectedIssue[], shown: ReadonlySet<string>): EvidenceOutcome {
  let evidence = 0;
  let seen = 0;
  for (const issue of expected) {
    if (issue.evidence && issue.evidence.length > 0) {
      for (const e of issue.evidence) {
        evidence++;
        if (shown.has(`${e.path}:${e.line}`)) seen++;
      }
    } else if (issue.path !== null && issue.lineStart !== null && issue.lineEnd !== null) {
      evidence++;
      for (let n = issue.lineStart; n <= issue.lineEnd; n++) {
        if (shown.has(`${issue.path}:${n}`)) {
          seen++;
          break;
        }
      }
    }
  }
  return { evidence, shown: seen };
}

export interface ContextRecall {
  /** Cases with at least one evidence line. */
  readonly cases: number;
  /** Share of those whose every evidence line is shown: without the impact section, and with it. */
  readonly withoutImpact: number | null;
  readonly withImpact: number | null;
  /** The same over cases whose evidence lies outside the issue's own lines (explicit `evidence`). */
  readonly crossFileCases: number;
  readonly crossFileWithoutImpact: number | null;
  readonly crossFileWithImpact: number | null;
}

export interface CaseContext {
  readonly evidence: number;
  readonly shownWithoutImpact: number;
  readonly shownWithImpact: number;
  readonly crossFile: boolean;
}

export function contextRecall(cases: readonly (CaseContext | null | undefined)[]): ContextRecall {
  const measured = cases.filter((c): c is CaseContext => c !== null && c !== undefined && c.evidence > 0);
  const cross = measured.filter((c) => c.crossFile);
  const share = (list: readonly CaseContext[], pick: (c: CaseContext) => number): number | null =>
    list.length === 0 ? null : list.filter((c) => pick(c) === c.evidence).length / list.length;
  return {
    cases: measured.length,
    withoutImpact: share(measured, (c) => c.shownWithoutImpact),
    withImpact: share(measured, (c) => c.shownWithImpact),
    crossFileCases: cross.length,
    crossFileWithoutImpact: share(cross, (c) => c.shownWithoutImpact),
    crossFileWithImpact: share(cross, (c) => c.shownWithImpact),
  };
}
