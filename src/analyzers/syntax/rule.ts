import type { Category, Severity } from "../../domain/finding.js";
import type { SyntaxLanguage, SyntaxNode } from "./grammars.js";

/** One place a syntax rule reports. */
export interface SyntaxHit {
  /** The node reported; its first line is the finding's line. */
  readonly node: SyntaxNode;
  /** One line naming what was found (code quoted in backticks). */
  readonly detail: string;
  /** A safe autofix: `node`'s text replaced by this (single-line nodes only). */
  readonly replacement?: string;
}

/** A structural rule over one file's syntax tree: what it reports, how it is classified, why and how to fix it. */
export interface SyntaxRule {
  readonly id: string;
  readonly language: SyntaxLanguage;
  readonly category: Category;
  readonly severity: Severity;
  /** 1 for rules that match the construct itself, lower for ones that infer intent from names. */
  readonly confidence: number;
  readonly title: string;
  /** Why it is a problem and how to fix it (markdown). */
  readonly advice: string;
  readonly find: (root: SyntaxNode) => SyntaxHit[];
}

/** Text that reads as SQL: a statement keyword followed by its clause, or a clause that only SQL has. */
export const SQL_TEXT =
  /\b(?:select\b[\s\S]*\bfrom|insert\s+into|update\s+[\w."`[\]]+\s+set|delete\s+from|order\s+by|group\s+by|where\s+[\w."`]+\s*(?:=|<|>|!=|\bin\b|\blike\b|\bilike\b|\bis\b))/i;

/** Words that name a password, secret or credential inside an expression (`user.password`, `api_token`). */
export const SENSITIVE_NAME =
  /(?:^|[^a-z])(?:pass(?:word|wd|phrase)|passwd|pwd|secret|token|api_?key|apikey|credentials?|private_?key|ssn|credit_?card|card_?number|cvv)(?:$|[^a-z])/i;

/** Identifier words that hold a password (for weak-hash rules). */
export const PASSWORD_NAME = /pass(?:word|wd|phrase)|pwd/i;

export function shortCode(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
