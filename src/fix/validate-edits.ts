import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import type { AnalyzerRun } from "../analyzers/index.js";
import type { Finding } from "../domain/finding.js";
import { analyzeWholeFiles, newSevereFindings, sameFinding } from "./analyzer-check.js";
import { applyEdits, mapLine } from "./apply-edits.js";
import type { FileEdit } from "./edit.js";
import { countPlaceholders, pathProblem, placeholderProblems } from "./edit-policy.js";
import { checkSyntax } from "./syntax-check.js";

/**
 * One proposed edit set against everything a fix must satisfy: allowed
 * paths, no redaction placeholders, each block applies exactly once, edited
 * files still parse, targeted analyzer findings are gone and no new P0/P1
 * appears. Problems are worded for the model, which gets them back.
 */

export interface ValidationContext {
  /** Head contents of every file the fix may read, by path. */
  readonly originals: ReadonlyMap<string, string>;
  readonly allowedPaths: ReadonlySet<string>;
  readonly targets: readonly Finding[];
  readonly analyzers: readonly Analyzer[];
  /** `analyzeWholeFiles` on `originals`. */
  readonly baseline: AnalyzerRun;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

export interface ValidatedFix {
  readonly edits: readonly FileEdit[];
  /** New text of each changed file. */
  readonly files: ReadonlyMap<string, string>;
  /** What was checked, for the reply: one sentence each. */
  readonly checks: readonly string[];
  /** Targets an analyzer confirms are gone. */
  readonly confirmed: readonly Finding[];
  /** Targets in files the edits do not touch. */
  readonly untouched: readonly Finding[];
}

export type Validation = { readonly ok: true; readonly fix: ValidatedFix } | { readonly ok: false; readonly problems: readonly string[] };

export async function validateEdits(edits: readonly FileEdit[], ctx: ValidationContext): Promise<Validation> {
  const policy = new Set<string>();
  edits.forEach((edit, i) => {
    const problem = pathProblem(edit.path, ctx.allowedPaths);
    if (problem) policy.add(problem);
    for (const p of placeholderProblems(edit, i)) policy.add(p);
  });
  if (policy.size > 0) return { ok: false, problems: [...policy] };

  const applied = applyEdits(ctx.originals, edits);
  if (!applied.ok) return { ok: false, problems: applied.problems };
  if (applied.files.size === 0) return { ok: false, problems: ["The edits change nothing."] };

  const problems: string[] = [];
  const checks: string[] = [];
  for (const [path, text] of applied.files) {
    const original = ctx.originals.get(path) ?? "";
    if (countPlaceholders(text) > countPlaceholders(original)) {
      problems.push(`\`${path}\`: the edited file contains a \`[REDACTED:…]\` placeholder; never write placeholders into files.`);
    }
    const syntax = await checkSyntax(path, text);
    if (syntax.kind === "unchecked") {
      checks.push(`syntax of \`${path}\` not checked (${syntax.reason})`);
    } else if (syntax.kind === "ok") {
      checks.push(`\`${path}\` parses (${syntax.parser})`);
    } else if ((await checkSyntax(path, original)).kind === "errors") {
      checks.push(`syntax of \`${path}\` not checked (it did not parse before the fix either)`);
    } else {
      problems.push(`\`${path}\` no longer parses after the edits (${syntax.parser}): ${syntax.errors.join("; ")}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const after = await analyzeWholeFiles(ctx.analyzers, applied.files, ctx.log, ctx.signal);
  for (const e of [...ctx.baseline.errors, ...after.errors]) checks.push(`analyzer \`${e.analyzer}\` failed (${e.message}); its findings were not compared`);
  const changed = new Set(applied.files.keys());
  const confirmed: Finding[] = [];
  const untouched: Finding[] = [];
  for (const target of ctx.targets) {
    if (!changed.has(target.path)) {
      untouched.push(target);
      continue;
    }
    const range = { from: target.startLine ?? target.line, to: target.line };
    if (target.ruleId === null || sameFinding(target, ctx.baseline.findings, range) === null) continue;
    const original = ctx.originals.get(target.path) ?? "";
    const edited = applied.files.get(target.path) ?? "";
    const mapped = {
      from: mapLine(original, edited, applied.applied, target.path, range.from),
      to: mapLine(original, edited, applied.applied, target.path, range.to),
    };
    const still = sameFinding(target, after.findings, mapped);
    if (still) problems.push(`\`${target.ruleId}\` still reports \`${target.path}\` line ${still.line} (${still.title}); the finding is not fixed.`);
    else confirmed.push(target);
  }
  if (untouched.length === ctx.targets.length && ctx.targets.length > 0) {
    problems.push(`No edit touches the files of the findings (${[...new Set(ctx.targets.map((t) => `\`${t.path}\``))].join(", ")}).`);
  }
  for (const f of newSevereFindings(ctx.baseline.findings, after.findings, changed)) {
    problems.push(`The edits introduce a ${f.severity} finding in \`${f.path}\` line ${f.line}: ${f.title}${f.ruleId ? ` (\`${f.ruleId}\`)` : ""}.`);
  }
  if (problems.length > 0) return { ok: false, problems };
  if (confirmed.length > 0) checks.push(`the analyzers no longer report ${confirmed.length === 1 ? "the finding" : `${confirmed.length} of the findings`}`);
  checks.push("no new P0/P1 findings");
  return { ok: true, fix: { edits, files: applied.files, checks, confirmed, untouched } };
}
