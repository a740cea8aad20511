import fc from "fast-check";

/**
 * Ways to break a diff: the edits a truncated download, a hand-edited patch,
 * a hostile pull request or a confused tool would make. Applied to the lines
 * of a well-formed diff, so the damage lands where parsers get it wrong.
 */

const JUNK_LINES = [
  "",
  " ",
  "@@ -0,0 +0,0 @@",
  "@@ -1 +1 @@",
  "@@ -3,1000000 +3,1000000 @@",
  "@@ -99999999999999999999,1 +1,1 @@",
  "@@ -5,2 +1,2 @@",
  "@@ -0,3 +0,3 @@",
  "@@@ -1,2 -1,2 +1,3 @@@",
  "@@ garbage @@",
  "@@",
  "\\ No newline at end of file",
  "diff --git a/x b/x",
  "diff --git",
  'diff --git "a/unterminated',
  "--- a/x",
  "+++ b/x",
  "--- /dev/null",
  "+++ /dev/null",
  "new file mode 100644",
  "deleted file mode 100644",
  "old mode 100644",
  "new mode 100755",
  "rename from x",
  "rename to y",
  "copy from x",
  "Binary files a/x and b/x differ",
  "GIT binary patch",
  "index 0000000..1111111 160000",
  "Subproject commit 0123456789abcdef",
  "-- ",
  "+",
  "-",
  "\r",
  "\u0000",
  "\uFEFF@@ -1 +1 @@",
];

export type Mutation =
  | { readonly op: "delete"; readonly at: number }
  | { readonly op: "duplicate"; readonly at: number }
  | { readonly op: "swap"; readonly at: number; readonly with: number }
  | { readonly op: "insert"; readonly at: number; readonly line: string }
  | { readonly op: "recount"; readonly at: number; readonly counts: readonly [number, number, number, number] }
  | { readonly op: "truncate"; readonly at: number }
  | { readonly op: "flip-marker"; readonly at: number; readonly marker: string };

const index = fc.nat({ max: 10_000 });
const count = fc.oneof(fc.nat({ max: 20 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 53, 1e9 + 1));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: index }),
  fc.record({ op: fc.constant("duplicate" as const), at: index }),
  fc.record({ op: fc.constant("swap" as const), at: index, with: index }),
  fc.record({
    op: fc.constant("insert" as const),
    at: index,
    line: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...JUNK_LINES) }, { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) }),
  }),
  fc.record({ op: fc.constant("recount" as const), at: index, counts: fc.tuple(count, count, count, count) }),
  fc.record({ op: fc.constant("truncate" as const), at: index }),
  fc.record({ op: fc.constant("flip-marker" as const), at: index, marker: fc.constantFrom("+", "-", " ", "\\", "@", "", "x") }),
);

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  const lines = text.split("\n");
  for (const m of mutations) {
    if (lines.length === 0) lines.push("");
    const at = m.at % lines.length;
    switch (m.op) {
      case "delete":
        lines.splice(at, 1);
        break;
      case "duplicate":
        lines.splice(at, 0, lines[at]!);
        break;
      case "swap": {
        const other = m.with % lines.length;
        [lines[at], lines[other]] = [lines[other]!, lines[at]!];
        break;
      }
      case "insert":
        lines.splice(at, 0, m.line);
        break;
      case "recount": {
        // Lie in the next hunk header at or after `at`.
        const h = lines.findIndex((l, i) => i >= at && l.startsWith("@@ "));
        if (h !== -1) {
          const [a, b, c, d] = m.counts;
          lines[h] = `@@ -${a},${b} +${c},${d} @@`;
        }
        break;
      }
      case "truncate": {
        const line = lines[at]!;
        lines.length = at + 1;
        lines[at] = line.slice(0, Math.floor(line.length / 2));
        break;
      }
      case "flip-marker":
        lines[at] = m.marker + lines[at]!.slice(1);
        break;
    }
  }
  return lines.join("\n");
}
