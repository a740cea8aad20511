import type { Finding } from "../domain/finding.js";
import { maxParameterCount, requiredParameterCount, type ApiChange, type ImpactContext, type ImpactUsage } from "../domain/impact.js";

/**
 * Deterministic findings from the impact context, for JavaScript/TypeScript
 * only and only where the mismatch is certain:
 *  - an unchanged file imports the function by name from the changed module
 *    (relative path resolved to it, not aliased, not type-only) and calls it
 *    plainly on one line with a countable number of arguments, which fitted
 *    the old parameter list and does not fit the new one;
 *  - an unchanged file imports a function the change renamed, and the
 *    changed file no longer mentions the old name at all (no re-export).
 * Method calls, namespace calls, spreads and calls across lines are left to
 * the model: the text cannot tell which definition they reach. Python and Go
 * callers are not checked (keyword arguments, methods on interfaces and
 * same-package calls make counts unprovable from text).
 * The finding sits on the changed definition's head line (the diff), naming
 * the caller by path:line.
 */

const ECMA = /\.[cm]?[jt]sx?$/;
const MAX_CALLERS_NAMED = 3;

export const IMPACT_ARITY_RULE = "longview/caller-arity-mismatch";
export const IMPACT_RENAMED_RULE = "longview/import-of-renamed-export";

export function impactFindings(impact: ImpactContext | undefined, headContents: ReadonlyMap<string, string>): Finding[] {
  if (impact === undefined) return [];
  const findings: Finding[] = [];
  for (const change of impact.changes) {
    if (!ECMA.test(change.path) || change.after === null) continue;
    if (change.kind === "signature-changed") {
      const broken = change.usages.filter((u) => arityBroken(change, u));
      if (broken.length > 0) findings.push(arityFinding(change, broken));
    } else if (change.kind === "renamed") {
      const head = headContents.get(change.path);
      if (head === undefined || new RegExp(`(?<![\\w$])${escape(change.symbol)}(?![\\w$])`).test(head)) continue;
      const importers = change.usages.filter((u) => u.importsSymbol === true);
      if (importers.length > 0) findings.push(renamedFinding(change, importers));
    }
  }
  return findings;
}

function arityBroken(change: ApiChange, usage: ImpactUsage): boolean {
  if (usage.importsSymbol !== true || usage.kind === "reference" || usage.argumentCount === null || !ECMA.test(usage.path)) return false;
  const n = usage.argumentCount;
  const before = { min: requiredParameterCount(change.before.parameters), max: maxParameterCount(change.before.parameters) };
  const after = { min: requiredParameterCount(change.after?.parameters ?? null), max: maxParameterCount(change.after?.parameters ?? null) };
  if (before.min === null || before.max === null || after.min === null || after.max === null) return false;
  const fittedBefore = n >= before.min && n <= before.max;
  const fitsNow = n >= after.min && n <= after.max;
  return fittedBefore && !fitsNow;
}

function arityFinding(change: ApiChange, callers: readonly ImpactUsage[]): Finding {
  const after = change.after!;
  const required = requiredParameterCount(after.parameters)!;
  const max = maxParameterCount(after.parameters)!;
  const expected = required === max ? `${required}` : max === Infinity ? `at least ${required}` : `${required} to ${max}`;
  const named = callers.slice(0, MAX_CALLERS_NAMED).map((c) => `\`${c.path}:${c.line}\` passes ${c.argumentCount}`);
  const more = callers.length > MAX_CALLERS_NAMED ? ` and ${callers.length - MAX_CALLERS_NAMED} more` : "";
  return {
    path: change.path,
    line: after.line,
    startLine: null,
    side: "RIGHT",
    severity: "P1",
    category: "bug",
    title: `\`${change.symbol}\` now takes ${expected} argument(s); unchanged callers still pass the old count`,
    body:
      `The signature changed from \`${change.before.text}\` to \`${after.text}\`, but callers this pull request does not touch import it and call it with the old arguments: ${named.join(", ")}${more}. ` +
      `Update those calls, or keep the old parameter list compatible.\n\n<sub>Rule: \`${IMPACT_ARITY_RULE}\`</sub>`,
    suggestion: null,
    confidence: 0.95,
    source: "longview-rules",
    ruleId: IMPACT_ARITY_RULE,
    corroboratedBy: [],
  };
}

function renamedFinding(change: ApiChange, importers: readonly ImpactUsage[]): Finding {
  const files = [...new Set(importers.map((u) => u.path))];
  const named = importers.slice(0, MAX_CALLERS_NAMED).map((u) => `\`${u.path}:${u.line}\``);
  return {
    path: change.path,
    line: change.after!.line,
    startLine: null,
    side: "RIGHT",
    severity: "P1",
    category: "bug",
    title: `\`${change.symbol}\` was renamed to \`${change.renamedTo ?? "?"}\` but ${files.length} unchanged file(s) still import it`,
    body:
      `\`${change.path}\` no longer exports \`${change.symbol}\`, and unchanged files import it by that name and use it (${named.join(", ")}): the import fails (ESM) or yields \`undefined\` (CommonJS). ` +
      `Update the importers, or keep the old name as an alias.\n\n<sub>Rule: \`${IMPACT_RENAMED_RULE}\`</sub>`,
    suggestion: null,
    confidence: 0.95,
    source: "longview-rules",
    ruleId: IMPACT_RENAMED_RULE,
    corroboratedBy: [],
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
