import { beforeAll, describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { buildWindowPlan, countTokens, initSyntax, renderWindow, resolveMemoryTokenCap } from "../../../src/context/index.js";
import type { ApiChange, ImpactContext } from "../../../src/domain/impact.js";
import { changeSetOf, expectedTargets, GLOBAL, reviewTargets } from "./helpers.js";

const text = fc.oneof(
  fc.constantFrom(
    "export function f(a: number, b = 2): string {",
    "  if (!checkToken(t, u)) {",
    "def g(x, *args, **kw) -> None:",
    "émoji 😀 中文",
    "<|endoftext|>",
  ),
  fc.string({ maxLength: 300 }),
);

const usage = fc.record({
  path: fc.constantFrom("src/x.ts", "lib/y.py", "a\nb.go", "test/z.test.ts"),
  line: fc.integer({ min: 1, max: 100_000 }),
  text,
  kind: fc.constantFrom("call" as const, "test" as const, "reference" as const),
  argumentCount: fc.constant(null),
});

const signature = fc.record({ text, line: fc.integer({ min: 1, max: 5_000 }), parameters: fc.constant(null), returnType: fc.constant(null) });

const input = fc.record({
  fileCount: fc.integer({ min: 1, max: 5 }),
  linesPerFile: fc.integer({ min: 1, max: 300 }),
  windowTokens: fc.constantFrom(2_500, 4_000, 8_000, 24_000),
  changes: fc.array(
    fc.record({
      file: fc.integer({ min: 0, max: 5 }),
      symbol: fc.string({ minLength: 1, maxLength: 30 }),
      kind: fc.constantFrom("signature-changed" as const, "removed" as const, "body-changed" as const, "key-removed" as const),
      before: signature,
      after: fc.option(signature, { nil: null }),
      usages: fc.array(usage, { maxLength: 12 }),
      usagesTruncated: fc.boolean(),
    }),
    { maxLength: 10 },
  ),
});

describe("buildWindowPlan with an impact", () => {
  beforeAll(async () => {
    await initSyntax();
  });

  test("token counts stay exact, windows within budget, coverage unchanged", () => {
    let shown = 0;
    fc.assert(
      fc.property(input, ({ fileCount, linesPerFile, windowTokens, changes }) => {
        const files = Array.from({ length: fileCount }, (_, i) => ({
          path: `src/f${i}.ts`,
          base: Array.from({ length: linesPerFile }, (_, n) => `const v${n} = ${n};`).join("\n") + "\n",
          head: Array.from({ length: linesPerFile }, (_, n) => (n % 7 === 0 ? `const v${n} = ${n + 1};` : `const v${n} = ${n};`)).join("\n") + "\n",
        }));
        const changeSet = changeSetOf(files);
        const impact: ImpactContext = {
          changes: changes.map((c): ApiChange => ({ ...c, path: `src/f${c.file}.ts`, renamedTo: null, aspects: ["other"] })),
          notices: [],
        };
        const budget = { windowTokens, outputTokens: 500, contextTokens: 200_000 };
        const cap = resolveMemoryTokenCap(budget);
        const plan = buildWindowPlan(changeSet, GLOBAL, budget, { impact });
        for (const w of plan.windows) {
          expect(countTokens(renderWindow(w))).toBe(w.tokens.total);
          expect(w.tokens.total + cap).toBeLessThanOrEqual(budget.windowTokens);
          if (w.local.impact !== undefined) shown++;
        }
        const targets = reviewTargets(plan, changeSet);
        expect([...targets.keys()].sort()).toEqual([...expectedTargets(changeSet)].sort());
        // Every changed line is under review once: shown, or folded onto an identical copy that is.
        const { reviewedLines, foldedLines, summarizedLines, triagedLines } = plan.coverage;
        expect(reviewedLines + foldedLines + summarizedLines + triagedLines).toBe(targets.size);
      }),
      { seed: 7, numRuns: 60, endOnFailure: true },
    );
    expect(shown).toBeGreaterThan(10);
  });
});
