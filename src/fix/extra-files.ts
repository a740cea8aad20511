import type { FileEdit } from "./edit.js";
import { WORKFLOW_REFUSAL, isWorkflowPath } from "./edit-policy.js";

/**
 * Which files beyond the findings' own a fix may edit. A fix that changes a
 * function's signature must update its callers, which live elsewhere; so a
 * file may join the fix when it uses, as a whole word, a symbol whose
 * declaration the fix's edits of the findings' files change — within
 * `fix.maxFiles` files in all, and never a workflow or an action. Pure.
 */

/**
 * Top-level declarations (at the start of a line, so a function's local variables are not among them):
 * JavaScript/TypeScript (exported or not, async), Python, Go (methods with a receiver included).
 */
const DECLARATION =
  /^(?:export\s+(?:default\s+)?)?(?:async\s+)?(?:function\*?|class|def|func|interface|type|const|let|var)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)/gm;

/** Identifiers declared in the text the edits of `paths` replace: the symbols the fix changes. */
export function changedSymbols(edits: readonly FileEdit[], paths: ReadonlySet<string>): Set<string> {
  const symbols = new Set<string>();
  for (const edit of edits) {
    if (!paths.has(edit.path)) continue;
    for (const m of edit.search.matchAll(DECLARATION)) if (m[1] && m[1].length >= 3) symbols.add(m[1]);
  }
  return symbols;
}

/** Why `path` (its head text `text`) may not join a fix that already edits `editing` files, or null when it may. */
export function extraFileProblem(
  path: string,
  text: string,
  context: { readonly symbols: ReadonlySet<string>; readonly editing: number; readonly maxFiles: number },
): string | null {
  if (isWorkflowPath(path)) return `\`${path}\`: ${WORKFLOW_REFUSAL}.`;
  if (context.editing >= context.maxFiles) {
    return `\`${path}\` would make the fix edit more than ${context.maxFiles} files (\`fix.maxFiles\`); keep the fix to the findings' files and the callers it must update.`;
  }
  const used = [...context.symbols].filter((symbol) => new RegExp(`(^|[^\\w$])${escape(symbol)}(?![\\w$])`).test(text));
  if (used.length === 0) {
    const named = context.symbols.size === 0 ? "no declaration" : [...context.symbols].map((s) => `\`${s}\``).join(", ");
    return `\`${path}\` is outside the findings' files and does not use what your edits change (${named}); edit another file only to update the callers of a declaration you change (a person can allow a file by naming it in the \`/agent fix\` instructions).`;
  }
  return null;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
