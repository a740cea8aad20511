/**
 * ImpactContext: what a pull request's changed API means for code it did not
 * touch. Computed deterministically (no model) on the main thread from the
 * ChangeSet and a RepositorySnapshot before windows are planned, then handed to
 * the planner as plain data (it crosses to worker threads by structured clone).
 * Everything in it is repository text: untrusted, and redacted with the rest of
 * the window before a model sees it.
 */

/**
 * How a definition changed between base and head: its signature, its
 * existence or name, only its body (callers may rely on what it did), or a
 * key (a quoted config/field name) the file no longer has.
 */
export type ApiChangeKind = "signature-changed" | "removed" | "renamed" | "body-changed" | "key-removed";

/** One aspect of a signature change, most telling first. */
export type SignatureAspect =
  "parameters-added" | "parameters-removed" | "parameters-reordered" | "parameter-renamed" | "default-changed" | "return-type-changed" | "other";

export interface ParameterInfo {
  readonly name: string;
  /** Has a default value, is optional (`x?`), or is a rest/variadic parameter: a caller may leave it out. */
  readonly optional: boolean;
  readonly rest: boolean;
  /** The default's source text, when there is one. */
  readonly defaultText: string | null;
}

export interface ApiSignature {
  /** The signature as written, on one line (clipped). */
  readonly text: string;
  /** 1-based line of the definition. */
  readonly line: number;
  /** Null when the parameter list could not be read (e.g. not a function). */
  readonly parameters: readonly ParameterInfo[] | null;
  readonly returnType: string | null;
}

export type UsageKind = "call" | "test" | "reference";

/** A line of unchanged code that uses a changed symbol. */
export interface ImpactUsage {
  readonly path: string;
  readonly line: number;
  /** The line's text, trimmed and clipped. */
  readonly text: string;
  readonly kind: UsageKind;
  /** Arguments at a plain (not `obj.`-qualified) call written on one line, or null when they could not be counted exactly. */
  readonly argumentCount: number | null;
  /**
   * True when the file imports this very symbol by name, unaliased and not
   * type-only, through a relative JS/TS import that resolves to the changed
   * file: then the usage provably refers to the changed definition.
   */
  readonly importsSymbol?: boolean;
}

export interface ApiChange {
  /** Head path of the changed file (base path for a removed file). */
  readonly path: string;
  readonly symbol: string;
  /** The new name of a renamed symbol. */
  readonly renamedTo: string | null;
  readonly kind: ApiChangeKind;
  readonly aspects: readonly SignatureAspect[];
  readonly before: ApiSignature;
  /** Null when the symbol was removed. */
  readonly after: ApiSignature | null;
  /** Unchanged files that use it, ranked (same directory and importers first); bounded. */
  readonly usages: readonly ImpactUsage[];
  /** True when more usages were found than kept, or the search stopped at a limit. */
  readonly usagesTruncated: boolean;
}

export interface ImpactContext {
  readonly changes: readonly ApiChange[];
  /** Why the impact may be incomplete (listing truncated, time or read budget spent, files without base text). */
  readonly notices: readonly string[];
}

export const EMPTY_IMPACT: ImpactContext = { changes: [], notices: [] };

/** The same impact with every piece of repository text passed through `f` (redaction before a model sees it). */
export function mapImpactText(impact: ImpactContext, f: (text: string) => string): ImpactContext {
  const sig = (s: ApiSignature): ApiSignature => ({
    ...s,
    text: f(s.text),
    returnType: s.returnType === null ? null : f(s.returnType),
    parameters: s.parameters?.map((p) => ({ ...p, defaultText: p.defaultText === null ? null : f(p.defaultText) })) ?? null,
  });
  return {
    notices: impact.notices,
    changes: impact.changes.map((c) => ({
      ...c,
      symbol: f(c.symbol),
      renamedTo: c.renamedTo === null ? null : f(c.renamedTo),
      before: sig(c.before),
      after: c.after === null ? null : sig(c.after),
      usages: c.usages.map((u) => ({ ...u, text: f(u.text) })),
    })),
  };
}

const ASPECT_TEXT: Readonly<Record<SignatureAspect, string>> = {
  "parameters-added": "parameters added",
  "parameters-removed": "parameters removed",
  "parameters-reordered": "parameters reordered",
  "parameter-renamed": "parameter renamed",
  "default-changed": "default changed",
  "return-type-changed": "return type changed",
  other: "signature changed",
};

/** What happened to the definition, in a few words ("parameters added, parameters reordered"). */
export function changeSummary(change: Pick<ApiChange, "kind" | "aspects" | "renamedTo">): string {
  switch (change.kind) {
    case "removed":
      return "removed";
    case "renamed":
      return `renamed to ${change.renamedTo ?? "?"}`;
    case "body-changed":
      return "body changed (same signature)";
    case "key-removed":
      return "key no longer present in this file";
    case "signature-changed":
      return change.aspects.map((a) => ASPECT_TEXT[a]).join(", ");
  }
}

/** Parameters a caller must pass, or null when unknown. */
export function requiredParameterCount(parameters: readonly ParameterInfo[] | null): number | null {
  if (parameters === null) return null;
  return parameters.filter((p) => !p.optional).length;
}

/** Parameters a caller may pass at most (Infinity with a rest parameter), or null when unknown. */
export function maxParameterCount(parameters: readonly ParameterInfo[] | null): number | null {
  if (parameters === null) return null;
  return parameters.some((p) => p.rest) ? Infinity : parameters.length;
}
