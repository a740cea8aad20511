import type { Unit } from "./file-units.js";

/** Groups further ahead than this are not pulled forward to fill a window: order matters more than a few tokens. */
const LOOKAHEAD_GROUPS = 12;

/**
 * Units → windows, in order. A group (related files) is kept together when it
 * fits a window; a window that cannot take the next group is topped up with
 * whole groups from just ahead that fit, then closed.
 */
export function packWindows(groups: readonly (readonly Unit[])[], capacity: number): Unit[][] {
  const windows: Unit[][] = [];
  const placed = new Array<boolean>(groups.length).fill(false);
  const totals = groups.map((g) => g.reduce((n, u) => n + u.tokens, 0));
  let current: Unit[] = [];
  let used = 0;

  const close = (after: number): void => {
    if (current.length === 0) return;
    for (let j = after + 1; j < groups.length && j <= after + LOOKAHEAD_GROUPS; j++) {
      if (placed[j] || used + totals[j]! > capacity) continue;
      current.push(...groups[j]!);
      used += totals[j]!;
      placed[j] = true;
    }
    windows.push(current);
    current = [];
    used = 0;
  };

  for (let g = 0; g < groups.length; g++) {
    if (placed[g]) continue;
    placed[g] = true;
    const units = groups[g]!;
    // A group that fits a window but not what is left of this one starts the next window.
    if (current.length > 0 && used + totals[g]! > capacity && totals[g]! <= capacity) close(g);
    for (const unit of units) {
      if (current.length > 0 && used + unit.tokens > capacity) close(g);
      current.push(unit);
      used += unit.tokens;
    }
  }
  close(groups.length);
  return windows;
}
