import { countTokens } from "../../context/index.js";
import { compareFindings, type Finding } from "../../domain/finding.js";
import type { MemoryNote, Window } from "../../domain/window.js";

/**
 * What the synthesis pass reads, rendered within a token cap and in priority
 * order: the changed files with their line ranges (what a finding may cite),
 * then suspicions, API changes and invariants from the windows and the
 * survey, then the candidate findings (compact, most severe first), then the
 * survey's file summaries. What does not fit is counted, not sent. Pure.
 */

export interface SynthesisInput {
  /** The plan's windows: the pull request's text, which window reviewed which file and lines. */
  readonly windows: readonly Window[];
  /** The pull request's memory (deterministic notes, the survey) and every window's notes, in written order. */
  readonly notes: readonly MemoryNote[];
  /** Candidate findings of the windows and the analyzers. */
  readonly findings: readonly Finding[];
}

export interface SynthesisContent {
  readonly text: string;
  readonly tokens: number;
  /** Items left out by the cap, per section. */
  readonly omitted: Readonly<Record<string, number>>;
  /** Paths listed as changed: the only places a synthesis finding may be put. */
  readonly paths: ReadonlySet<string>;
}

export const SYNTHESIS_INPUT_TOKENS = 16_000;
/** Share of the cap the file list may take; the notes matter more. */
const FILES_SHARE = 0.25;
const MAX_RANGES_PER_FILE = 12;
const MAX_DESCRIPTION_CHARS = 1_500;

interface Section {
  readonly key: string;
  readonly title: string;
  readonly lines: readonly string[];
}

export function synthesisContent(input: SynthesisInput, maxTokens = SYNTHESIS_INPUT_TOKENS): SynthesisContent {
  const pr = input.windows[0]?.global;
  const description = pr ? clip(pr.description, MAX_DESCRIPTION_CHARS) : "";
  const head = `# Pull request\nTitle: ${pr ? oneLine(pr.title) : "(unknown)"}\n## Description (untrusted)\n${description === "" ? "(none)" : description}\n`;
  let used = countTokens(head);
  const omitted: Record<string, number> = {};
  const chosen = new Map<string, string[]>();
  const paths = new Set<string>();

  const take = (section: Section, cap: number) => {
    const kept = chosen.get(section.key) ?? [];
    let headerCost = kept.length === 0 ? countTokens(`## ${section.title}\n`) : 0;
    for (const line of section.lines) {
      const cost = countTokens(line) + headerCost;
      if (used + cost > cap) {
        omitted[section.key] = (omitted[section.key] ?? 0) + 1;
        continue;
      }
      used += cost;
      headerCost = 0;
      kept.push(line);
    }
    chosen.set(section.key, kept);
  };

  const files = fileLines(input.windows);
  take(
    { key: "files", title: "Changed files (path: windows; changed line ranges)", lines: files.map((f) => f.line) },
    used + Math.floor(maxTokens * FILES_SHARE),
  );
  for (const f of files.slice(0, chosen.get("files")?.length ?? 0)) paths.add(f.path);

  const notes = dedupe(input.notes);
  const byKind = (kind: MemoryNote["kind"]) => notes.filter((n) => n.kind === kind).map(noteLine);
  const sections: Section[] = [
    { key: "suspicions", title: "Suspicions (checked nowhere yet)", lines: byKind("suspicion") },
    { key: "api-changes", title: "Changed APIs and contracts", lines: byKind("api-change") },
    { key: "invariants", title: "Invariants the code relies on", lines: byKind("invariant") },
    { key: "findings", title: "Candidate findings already reported (do not repeat)", lines: [...input.findings].sort(compareFindings).map(findingLine) },
    { key: "summaries", title: "What each file's change does (survey)", lines: byKind("summary") },
  ];
  for (const section of sections) take(section, maxTokens);

  const body = [{ key: "files", title: "Changed files (path: windows; changed line ranges)" }, ...sections]
    .map(({ key, title }) => {
      const lines = chosen.get(key) ?? [];
      return lines.length === 0 ? "" : `## ${title}\n${lines.join("")}`;
    })
    .join("");
  const text = head + body;
  return { text, tokens: countTokens(text), omitted, paths };
}

function fileLines(windows: readonly Window[]): { path: string; line: string }[] {
  const byPath = new Map<string, { windows: string[]; ranges: string[] }>();
  for (const window of windows) {
    for (const file of window.local.files) {
      const entry = byPath.get(file.path) ?? { windows: [], ranges: [] };
      if (!entry.windows.includes(window.id)) entry.windows.push(window.id);
      for (const { hunk } of file.hunks) {
        entry.ranges.push(hunk.newLines > 0 ? range("R", hunk.newStart, hunk.newLines) : range("L", hunk.oldStart, hunk.oldLines));
      }
      byPath.set(file.path, entry);
    }
  }
  return [...byPath].map(([path, e]) => {
    const shown = e.ranges.slice(0, MAX_RANGES_PER_FILE);
    const more = e.ranges.length > shown.length ? `, … ${e.ranges.length - shown.length} more` : "";
    return { path, line: `- ${oneLine(path)}: ${e.windows.join(", ")}; ${shown.join(", ")}${more}\n` };
  });
}

function range(side: "R" | "L", start: number, lines: number): string {
  return lines <= 1 ? `${side}${start}` : `${side}${start}-${start + lines - 1}`;
}

function noteLine(note: MemoryNote): string {
  const where = note.path === null ? "" : ` ${oneLine(note.path)}:`;
  return `- (${note.windowId})${where} ${oneLine(note.text)}\n`;
}

function findingLine(f: Finding): string {
  const lines = f.startLine === null ? `${f.line}` : `${f.startLine}-${f.line}`;
  const quote = f.quote ? ` — quotes: ${clip(oneLine(f.quote), 160)}` : "";
  return `- ${oneLine(f.path)}:${lines} ${f.side} ${f.severity} ${f.category} [${f.source}] ${clip(oneLine(f.title), 160)}${quote}\n`;
}

function dedupe(notes: readonly MemoryNote[]): MemoryNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.kind}\u0000${n.path ?? ""}\u0000${n.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
