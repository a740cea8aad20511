import type { DiffLine } from "../domain/change-set.js";
import type { Window, WindowFile, WindowHunk } from "../domain/window.js";

/**
 * Minimal text rendering of a window for the prompt, standing in until
 * `renderWindow` from src/context/ exists; prompt.ts is the only caller.
 * Every hunk line carries its old and new line numbers, so the model can cite
 * them exactly (RIGHT: new number, LEFT: old number).
 */
export function renderWindowForPrompt(window: Window): string {
  const { global, memory, local } = window;
  const sections = [
    `# Pull request\nTitle: ${global.title}\n\nDescription:\n${global.description.trim() || "(none)"}`,
    `# Repository review guidelines\n${global.guidelines.trim() || "(none)"}`,
    `# Files changed in the pull request\n${global.fileMap.trim() || "(none)"}`,
  ];
  if (memory.length > 0) {
    const notes = memory.map((n) => `- [${n.kind}]${n.path === null ? "" : ` ${n.path}:`} ${n.text} (window ${n.windowId})`);
    sections.push(`# Notes from earlier windows\n${notes.join("\n")}`);
  }
  sections.push(
    "# Under review in this window\nHunk lines: old line number, new line number, marker (+ added, - deleted, space context), text.",
    ...local.files.map(renderFile),
  );
  if (local.peripheral.trim() !== "") {
    sections.push(`# Related code (context only, not under review)\n${local.peripheral.trim()}`);
  }
  return sections.join("\n\n");
}

function renderFile(file: WindowFile): string {
  const origin = file.previousPath === null ? "" : `, from ${file.previousPath}`;
  return [`## ${file.path} (${file.status}${origin})`, ...file.hunks.map(renderHunk)].join("\n\n");
}

function renderHunk(windowHunk: WindowHunk): string {
  const { hunk, surrounding, duplicates } = windowHunk;
  const parts: string[] = [];
  if (surrounding !== null) {
    const lines = surrounding.text.split("\n").map((text, i) => `${String(surrounding.startLine + i).padStart(6)}   ${text}`);
    parts.push(`Surrounding code (new version, context only):\n${lines.join("\n")}`);
  }
  parts.push(`${hunk.header}\n${hunk.lines.map(renderLine).join("\n")}`);
  if (duplicates.length > 0) {
    parts.push(`The same change is also made in: ${duplicates.map((d) => d.path).join(", ")}`);
  }
  return parts.join("\n");
}

const MARKERS = { add: "+", del: "-", context: " " } as const;

function renderLine(line: DiffLine): string {
  const old = line.oldLine === null ? "" : String(line.oldLine);
  const now = line.newLine === null ? "" : String(line.newLine);
  return `${old.padStart(6)} ${now.padStart(6)} ${MARKERS[line.kind]} ${line.text}`;
}
