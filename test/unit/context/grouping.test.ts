import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan } from "../../../src/context/index.js";
import { classify } from "../../../src/context/grouping.js";
import { findRelations } from "../../../src/context/relations.js";
import { BUDGET_24K, changeSetOf, GLOBAL, tsFunctions } from "./helpers.js";

describe("classify", () => {
  test.each([
    ["src/auth/session.ts", "security"],
    ["src/db/queries.sql", "security"],
    ["deploy/nginx.conf", "security"],
    [".github/workflows/ci.yml", "security"],
    ["src/widgets/button.ts", "source"],
    ["src/widgets/button.test.ts", "test"],
    ["tests/test_parser.py", "test"],
    ["pkg/parse/parse_test.go", "test"],
    ["README.md", "docs"],
    ["docs/guide/setup.md", "docs"],
    ["tsconfig.json", "config"],
    ["package.json", "config"],
  ] as const)("%s is %s", (path, expected) => {
    expect(classify(path)).toBe(expected);
  });
});

describe("relations", () => {
  test("a test relates to its source; imports between changed files are resolved", () => {
    const paths = [
      "src/a/parse.ts",
      "src/a/parse.test.ts",
      "src/b/use.ts",
      "app/pkg/mod.py",
      "app/main.py",
      "svc/store/store.go",
      "svc/cmd/main.go",
      "src/main/java/com/x/Repo.java",
      "src/main/java/com/x/App.java",
    ];
    const texts: Record<string, string> = {
      "src/b/use.ts": 'import { parse } from "../a/parse.js";\n',
      "app/main.py": "from .pkg.mod import thing\n",
      "svc/cmd/main.go": 'package main\n\nimport (\n\t"fmt"\n\t"github.com/acme/svc/store"\n)\n',
      "src/main/java/com/x/App.java": "package com.x;\nimport com.x.Repo;\n",
    };
    const relations = findRelations(paths, (p) => texts[p] ?? null);
    expect(relations).toEqual([
      { from: "src/a/parse.test.ts", to: "src/a/parse.ts", kind: "test" },
      { from: "src/b/use.ts", to: "src/a/parse.ts", kind: "import" },
      { from: "app/main.py", to: "app/pkg/mod.py", kind: "import" },
      { from: "svc/cmd/main.go", to: "svc/store/store.go", kind: "import" },
      { from: "src/main/java/com/x/App.java", to: "src/main/java/com/x/Repo.java", kind: "import" },
    ]);
  });
});

describe("review order", () => {
  const small = (name: string) => ({ base: `export const ${name} = 1;\n`, head: `export const ${name} = 2;\n` });
  const big = (prefix: string) => ({ base: null, head: tsFunctions(40, 20, prefix) });

  test("security and source before tests, docs and config; a test shares its source's window", () => {
    const changeSet = changeSetOf([
      { path: "README.md", base: "# A\n", head: "# B\n" },
      { path: "package.json", base: '{"a":1}\n', head: '{"a":2}\n' },
      { path: "src/widgets/button.test.ts", ...small("t") },
      { path: "src/widgets/button.ts", ...small("b") },
      { path: "src/auth/session.ts", ...small("s") },
      { path: "src/zeta/zeta.test.ts", ...small("z") },
    ]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    expect(plan.windows).toHaveLength(1);
    expect(plan.windows[0]!.local.files.map((f) => f.path)).toEqual([
      "src/auth/session.ts",
      "src/widgets/button.ts",
      "src/widgets/button.test.ts",
      "src/zeta/zeta.test.ts",
      "README.md",
      "package.json",
    ]);
  });

  test("with many windows, the first windows hold security and source files and the last ones tests and docs", () => {
    const changeSet = changeSetOf([
      { path: "docs/a.md", ...big("d") },
      { path: "test/x.test.ts", ...big("t") },
      { path: "src/core/engine.ts", ...big("e") },
      { path: "src/api/routes.ts", ...big("r") },
    ]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    const order = plan.windows.flatMap((w) => w.local.files.map((f) => f.path)).filter((p, i, all) => all.indexOf(p) === i);
    expect(order).toEqual(["src/api/routes.ts", "src/core/engine.ts", "test/x.test.ts", "docs/a.md"]);
    expect(plan.windows.map((w) => w.wave)).toEqual(plan.windows.map((_, i) => Math.floor(i / 4) + 1));
  });

  test("a peripheral outline points at related files reviewed elsewhere", () => {
    const changeSet = changeSetOf([
      { path: "src/lib/parse.ts", base: null, head: tsFunctions(70, 20, "parse") },
      { path: "src/app/use.ts", base: null, head: 'import { parse65 } from "../lib/parse.js";\n\nexport function run(): number {\n  return parse65(2);\n}\n' },
    ]);
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    // use.ts shares the first window with the first part of parse.ts; parse65 is defined in a later part.
    const useWindow = plan.windows.find((w) => w.local.files.some((f) => f.path === "src/app/use.ts"))!;
    expect(useWindow.id).toBe("w1");
    const line = 65 * 24 + 1;
    expect(useWindow.local.peripheral).toContain(`- src/lib/parse.ts:${line} export function parse65(value: number): number {`);
    const laterWindow = plan.windows.find((w) => w.local.files.some((f) => f.path === "src/lib/parse.ts" && f.hunks[0]!.hunk.newStart > 1))!;
    expect(laterWindow.local.peripheral).toContain("- src/app/use.ts (related changed file, reviewed in w1)");
  });
});
