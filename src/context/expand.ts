import type { WindowFile, WindowHunk, WindowPlan } from "../domain/window.js";
import { collect, emitHunk, fileHeader, oneLine } from "./render.js";

/**
 * The full text behind a ref a window shows (`expand c12`): a folded copy of
 * a change, a summarized pure deletion, or a triaged file, in the windows'
 * own line format (`R<n> +`, `L<n> -`, …) so the model can cite its lines.
 * Pure; the model's "expand" tool calls it with the plan of the review.
 */

export type CompactedKind = "folded" | "summarized" | "triaged";

export interface ExpandedRegion {
  readonly ref: string;
  readonly kind: CompactedKind;
  readonly path: string;
  /** Window whose text shows the ref. */
  readonly windowId: string;
  readonly text: string;
}

export function expandCompacted(plan: WindowPlan, ref: string): ExpandedRegion | null {
  for (const window of plan.windows) {
    for (const file of window.local.files) {
      const compacted = file.compacted ?? null;
      if (compacted !== null && compacted.ref === ref) {
        return { ref, kind: compacted.kind, path: file.path, windowId: window.id, text: fullFile(file) };
      }
      for (const windowHunk of file.hunks) {
        const copy = windowHunk.duplicates.find((d) => d.ref === ref);
        if (copy === undefined) continue;
        const header = `## ${oneLine(copy.path)} (identical copy of hunk ${windowHunk.hunk.index + 1} of ${oneLine(file.path)})\n`;
        const text = header + collect((sink) => emitHunk({ hunk: copy.hunk, surrounding: null, duplicates: [] }, sink));
        return { ref, kind: "folded", path: copy.path, windowId: window.id, text };
      }
    }
  }
  return null;
}

/** Every ref the plan's windows show, in window order. */
export function compactedRefs(plan: WindowPlan): string[] {
  const refs: string[] = [];
  for (const window of plan.windows) {
    for (const file of window.local.files) {
      if (file.compacted) refs.push(file.compacted.ref);
      for (const windowHunk of file.hunks) for (const d of windowHunk.duplicates) refs.push(d.ref);
    }
  }
  return refs;
}

function fullFile(file: WindowFile): string {
  const plain: WindowFile = { ...file, compacted: null, hunks: file.hunks.map((h): WindowHunk => ({ ...h, duplicates: [] })) };
  return collect((sink) => {
    sink.text(fileHeader(plain));
    for (const hunk of plain.hunks) emitHunk(hunk, sink);
  });
}
