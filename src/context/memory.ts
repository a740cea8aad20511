import type { MemoryNote, Window } from "../domain/window.js";
import { MEMORY_HEADER, memoryLine } from "./render.js";
import { countCached } from "./tokens.js";

/** Share of the memory cap the pull request's own memory may take before windows' notes get their turn. */
export const PINNED_MEMORY_SHARE = 0.6;

/**
 * A copy of the window carrying memory notes whose rendering fits
 * `memoryTokenCap` (header included). Two sources, in this order:
 *  - `pinned`: the pull request's memory (deterministic notes, the survey),
 *    in priority order; it may take `PINNED_MEMORY_SHARE` of the cap first;
 *  - `notes`: what windows reviewed earlier wrote, oldest first; the newest
 *    that fit the rest are kept;
 * then pinned notes that did not fit their share fill whatever room is left.
 * Identical notes (same kind, path and text) count once. Pinned notes are
 * shown first, then window notes in written order. The plan reserved the cap
 * in every window, so the result stays within budget when the cap is the
 * plan's (see `resolveMemoryTokenCap`); the token count is exact.
 */
export function withMemory(window: Window, notes: readonly MemoryNote[], memoryTokenCap: number, pinned: readonly MemoryNote[] = []): Window {
  const seen = new Set<string>();
  let used = countCached(MEMORY_HEADER);
  const take = (note: MemoryNote, cap: number): boolean => {
    const key = `${note.kind}\u0000${note.path ?? ""}\u0000${note.text}`;
    if (seen.has(key)) return false;
    const cost = countCached(memoryLine(note));
    if (used + cost > cap) return false;
    seen.add(key);
    used += cost;
    return true;
  };

  const pinnedCap = Math.floor(memoryTokenCap * PINNED_MEMORY_SHARE);
  const keptPinned = new Set<number>();
  pinned.forEach((note, i) => {
    if (take(note, pinnedCap)) keptPinned.add(i);
  });
  const recent: MemoryNote[] = [];
  for (let i = notes.length - 1; i >= 0; i--) if (take(notes[i]!, memoryTokenCap)) recent.push(notes[i]!);
  pinned.forEach((note, i) => {
    if (!keptPinned.has(i) && take(note, memoryTokenCap)) keptPinned.add(i);
  });

  const chosen = [...pinned.filter((_, i) => keptPinned.has(i)), ...recent.reverse()];
  const memory = chosen.length === 0 ? 0 : used;
  return {
    ...window,
    memory: chosen,
    tokens: { ...window.tokens, memory, total: window.tokens.global + memory + window.tokens.local },
  };
}
