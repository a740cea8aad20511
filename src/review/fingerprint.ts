import { createHash } from "node:crypto";
import type { ChangeSet, Side } from "../domain/change-set.js";
import type { Finding, Fingerprinted, PlacedFinding } from "../domain/finding.js";

export type { Fingerprinted } from "../domain/finding.js";

/**
 * Stable identities of findings across pushes. A fingerprint depends on the
 * file, the category, the rule (or normalised title) and the text of the code
 * it is anchored to — not on line numbers — so it survives lines moving.
 */

export function fingerprintFindings(findings: readonly PlacedFinding[], changeSet: ChangeSet): Fingerprinted[] {
  const lines = lineReader(changeSet);
  return findings.map((f) => {
    const text = lines(f.path, f.line, f.side) ?? "";
    return { ...f, fingerprint: fingerprintOf(f, text), anchor: f.side === "RIGHT" && text !== "" ? anchorHash(text) : null };
  });
}

export function fingerprintOf(finding: Pick<Finding, "path" | "category" | "ruleId" | "title">, anchoredText: string): string {
  const key = finding.ruleId ?? normalizeTitle(finding.title);
  return hash(`${finding.path}\0${finding.category}\0${key}\0${normalizeCode(anchoredText)}`, 16);
}

export function anchorHash(text: string): string {
  return hash(normalizeCode(text), 12);
}

/** Anchors present in a file: a finding whose anchor is gone had its code changed or removed. */
export function anchorsOf(content: string): Set<string> {
  return new Set(content.split("\n").map((line) => anchorHash(line)));
}

/**
 * The text of one line of the change: head content for RIGHT, the diff's
 * deleted lines for LEFT. Each file is indexed once per reader, and only as
 * far as the lines asked for: thousands of findings in a large file cost one
 * pass over it, not one each, and a finding on line 1 does not copy the file.
 */
export function lineReader(changeSet: ChangeSet): (path: string, line: number, side: Side) => string | null {
  const headLines = new Map<string, (line: number) => string | undefined>();
  const diffLines = new Map<string, Map<number, string>>();
  let files: Map<string, ChangeSet["files"][number]> | null = null;
  return (path, line, side) => {
    if (side === "RIGHT") {
      const content = changeSet.headContents.get(path);
      if (content !== undefined) {
        let lineOf = headLines.get(path);
        if (!lineOf) headLines.set(path, (lineOf = lazyLines(content)));
        return lineOf(line)?.replace(/\r$/, "") ?? null;
      }
    }
    const key = `${side}\0${path}`;
    let byLine = diffLines.get(key);
    if (!byLine) {
      if (!files) {
        files = new Map();
        for (const f of changeSet.files) if (!files.has(f.path)) files.set(f.path, f);
      }
      byLine = new Map();
      for (const hunk of files.get(path)?.hunks ?? []) {
        for (const l of hunk.lines) {
          const n = side === "RIGHT" ? l.newLine : l.oldLine;
          if (n !== null && !byLine.has(n)) byLine.set(n, l.text);
        }
      }
      diffLines.set(key, byLine);
    }
    return byLine.get(line) ?? null;
  };
}

/** `text.split("\n")[line - 1]`, finding line starts only as far as needed. */
function lazyLines(text: string): (line: number) => string | undefined {
  const starts = [0];
  let complete = false;
  return (line) => {
    if (!Number.isInteger(line) || line < 1) return undefined;
    while (starts.length < line && !complete) {
      const next = text.indexOf("\n", starts.at(-1));
      if (next === -1) complete = true;
      else starts.push(next + 1);
    }
    const start = starts[line - 1];
    if (start === undefined) return undefined;
    const end = text.indexOf("\n", start);
    return text.slice(start, end === -1 ? undefined : end);
  };
}

function normalizeCode(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/`[^`]*`/g, " ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function hash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
