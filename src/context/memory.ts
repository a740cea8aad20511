import type { MemoryNote, Window } from "../domain/window.js";
import { MEMORY_HEADER, memoryLine } from "./render.js";
import { countCached } from "./tokens.js";

/**
 * A copy of the window carrying the newest notes whose rendering fits
 * `memoryTokenCap` (header included); identical notes (same kind, path and
 * text) count once, as their newest occurrence. `notes` are in the order they
 * were written, oldest first. The plan reserved the cap in every window, so the
 * result stays within budget when the cap is the plan's (see `resolveMemoryTokenCap`).
 */
export function withMemory(window: Window, notes: readonly MemoryNote[], memoryTokenCap: number): Window {
  const chosen: MemoryNote[] = [];
  const seen = new Set<string>();
  let used = countCached(MEMORY_HEADER);
  for (let i = notes.length - 1; i >= 0; i--) {
    const note = notes[i]!;
    const key = `${note.kind}\u0000${note.path ?? ""}\u0000${note.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cost = countCached(memoryLine(note));
    if (used + cost > memoryTokenCap) continue;
    used += cost;
    chosen.push(note);
  }
  chosen.reverse();
  const memory = chosen.length === 0 ? 0 : used;
  return {
    ...window,
    memory: chosen,
    tokens: { ...window.tokens, memory, total: window.tokens.global + memory + window.tokens.local },
  };
}
