import { beforeAll, describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { buildWindowPlan, countTokens, initSyntax, renderWindow, resolveMemoryTokenCap } from "../../../src/context/index.js";
import type { SkippedFile } from "../../../src/domain/change-set.js";
import { changeSetOf, expectedTargets, GLOBAL, lineCategories, reviewTargets, type FileChange } from "./helpers.js";

const VOCABULARY = [
  "export function handle(input: Input): Output {",
  "  const value = compute(input.value, 42);",
  "  if (!value) {",
  '    throw new Error("missing value");',
  "  }",
  "  return { value };",
  "}",
  "",
  "def load(self, key):",
  "    return self.repo.find(key)",
  "class Service:",
  "func (s *Store) Get(id string) error {",
  "\treturn nil",
  "  // a comment with 'quotes' and <|endoftext|>",
  "const text = 'a  b';",
  "émoji 😀 and 中文 in a line",
  "/* block */ x = y / z;",
  'import { compute } from "./file0.js";',
  "export function compute(a: number, b: number): number {",
  "  return handle({ value: compute(a, b) }).value;",
];

const line = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " ")) },
  { weight: 1, arbitrary: fc.constantFrom(600, 3000).map((n) => `const blob = "${"ab12 ".repeat(n / 5)}";`) },
);

type Op = "keep" | "delete" | "replace" | "insert" | "reindent";
const op = fc.constantFrom<Op>("keep", "keep", "keep", "keep", "keep", "keep", "delete", "replace", "insert", "reindent");

interface Shape {
  readonly kind: string;
  readonly base: readonly string[];
  readonly ops: readonly Op[];
  readonly inserted: readonly string[];
}

const shape: fc.Arbitrary<Shape> = fc.record({
  kind: fc.constantFrom("added", "modified", "modified", "modified", "removed"),
  base: fc.array(line, { minLength: 1, maxLength: 400, size: "max" }),
  ops: fc.array(op, { minLength: 400, maxLength: 400, size: "max" }),
  inserted: fc.array(line, { minLength: 400, maxLength: 400, size: "max" }),
});

function toChange(path: string, { kind, base, ops, inserted }: Shape, withoutHead: boolean): FileChange {
  if (kind === "added") return { path, base: null, head: `${base.join("\n")}\n`, withoutHead };
  if (kind === "removed") return { path, base: `${base.join("\n")}\n`, head: null };
  const head: string[] = [];
  base.forEach((l, i) => {
    const o = ops[i]!;
    if (o === "keep") head.push(l);
    else if (o === "replace") head.push(inserted[i]!);
    else if (o === "insert") head.push(l, inserted[i]!);
    else if (o === "reindent") head.push(`  ${l}`);
  });
  return { path, base: `${base.join("\n")}\n`, head: `${head.join("\n")}\n`, withoutHead };
}

/** Files of one PR; those marked `fromTemplate` repeat the same change (as a mechanical refactoring would). */
const files = fc.record({ template: shape, count: fc.integer({ min: 1, max: 7 }) }).chain(({ template, count }) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, index) =>
      fc
        .record({
          own: shape,
          fromTemplate: fc.boolean(),
          ext: fc.constantFrom("ts", "py", "go", "md", "kt", "json"),
          dir: fc.constantFrom("src/auth", "src/core", "test", "docs", "lib/util", ".github/workflows", "notes"),
          withoutHead: fc.boolean(),
        })
        .map(({ own, fromTemplate, ext, dir, withoutHead }) => {
          // Triaged kinds: CI configuration and changelogs.
          const path =
            dir === ".github/workflows" ? `${dir}/file${index}.yml` : dir === "notes" ? `${dir}/CHANGELOG-${index}.md` : `${dir}/file${index}.${ext}`;
          return toChange(path, fromTemplate ? template : own, withoutHead);
        }),
    ),
  ),
);

const input = fc.record({
  files,
  windowTokens: fc.constantFrom(2_500, 4_000, 4_000, 8_000, 24_000),
  skipLockfile: fc.boolean(),
  waveSize: fc.integer({ min: 1, max: 5 }),
});

describe("buildWindowPlan on random pull requests", () => {
  beforeAll(async () => {
    await initSyntax();
  });

  test("coverage is complete and exact, no window exceeds its budget, and plans are deterministic", () => {
    fc.assert(
      fc.property(input, ({ files, windowTokens, skipLockfile, waveSize }) => {
        const skipped: SkippedFile[] = skipLockfile ? [{ path: "package-lock.json", reason: "lockfile", lines: 77 }] : [];
        const changeSet = changeSetOf(files, skipped);
        const budget = { windowTokens, outputTokens: 500, contextTokens: 200_000 };
        const plan = buildWindowPlan(changeSet, GLOBAL, budget, { waveSize });
        const cap = resolveMemoryTokenCap(budget);

        plan.windows.forEach((w, i) => {
          expect(w.id).toBe(`w${i + 1}`);
          expect(w.wave).toBe(Math.floor(i / waveSize) + 1);
          expect(countTokens(renderWindow(w))).toBe(w.tokens.total);
          expect(w.tokens.total).toBe(w.tokens.global + w.tokens.memory + w.tokens.local);
          expect(w.tokens.total + cap).toBeLessThanOrEqual(budget.windowTokens);
        });

        const targets = reviewTargets(plan, changeSet);
        expect([...targets.keys()].sort()).toEqual([...expectedTargets(changeSet)].sort());
        for (const n of targets.values()) expect(n).toBe(1);
        // Every changed line is in exactly one category, and the counts are the coverage's.
        const categories = lineCategories(plan, changeSet);
        expect([...categories.keys()].sort()).toEqual([...targets.keys()].sort());
        const count = { reviewed: 0, folded: 0, summarized: 0, triaged: 0 };
        for (const list of categories.values()) {
          expect(list).toHaveLength(1);
          count[list[0]!]++;
        }
        const { coverage } = plan;
        expect(coverage.changedLines).toBe(
          coverage.reviewedLines + coverage.foldedLines + coverage.summarizedLines + coverage.triagedLines + coverage.skippedLines,
        );
        expect({
          reviewed: coverage.reviewedLines,
          folded: coverage.foldedLines,
          summarized: coverage.summarizedLines,
          triaged: coverage.triagedLines,
        }).toEqual(count);
        expect(coverage.skipped.slice(0, skipped.length)).toEqual(skipped);

        const again = buildWindowPlan(changeSet, GLOBAL, budget, { waveSize });
        expect(JSON.stringify(again.windows)).toBe(JSON.stringify(plan.windows));
        expect(again.coverage).toEqual(plan.coverage);
      }),
      // Inputs are large: shrinking a failure would take minutes, so the first counterexample is reported as is.
      { seed: 20240611, numRuns: 40, endOnFailure: true },
    );
  });
});
