/**
 * Small helpers shared by the repository tools: lines of a file, test-file
 * recognition and one-line clipping of untrusted text.
 */

/** A file's lines, without a phantom empty line after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** One line, control characters and line separators replaced, clipped to `max` characters with a visible mark. */
export function clipLine(text: string, max: number): string {
  const flat = text.replace(/[\r\n\u2028\u2029\v\f\u0000-\u0008\u000e-\u001f]/g, " ");
  if (flat.length <= max) return flat;
  const cut = /[\uD800-\uDBFF]$/.test(flat.slice(0, max)) ? max - 1 : max;
  return `${flat.slice(0, cut)}…`;
}

/**
 * Test files by convention of the languages Longview knows: test directories,
 * `*.test.*` / `*.spec.*`, `test_*.py` / `*_test.py`, `*_test.go`, `*Test.java`.
 */
export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(tests?|__tests__|specs?|testing)\//i.test(path) ||
    /\.(test|spec)\.[cm]?[jt]sx?$/i.test(path) ||
    /(^|\/)test_[^/]*\.py$|_test\.py$/.test(path) ||
    /_test\.go$/.test(path) ||
    /(Test|Tests|IT)\.java$/.test(path)
  );
}

/** Source files worth searching for code: what the outliner or the word search can make sense of. */
export const CODE_PATH = /\.(tsx?|jsx?|mjs|cjs|mts|cts|py|pyi|go|java|kt|rb|rs|cs|php|swift|scala|vue|svelte|ya?ml|json|toml|ini|cfg|env)$/i;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** `name` as a whole identifier (identifier characters of JS, Python, Go and Java). */
export function wordPattern(name: string, flags = ""): RegExp {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`, flags);
}
