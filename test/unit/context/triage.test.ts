import { beforeAll, describe, expect, test } from "@jest/globals";
import { buildWindowPlan, expandCompacted, initSyntax, renderWindow } from "../../../src/context/index.js";
import { manifestRelations } from "../../../src/context/manifest-relations.js";
import { triageKind } from "../../../src/context/triage.js";
import { BUDGET_24K, changeSetOf, GLOBAL, tsFunctions } from "./helpers.js";

beforeAll(async () => {
  await initSyntax();
});

describe("triage", () => {
  test.each([
    ["CHANGELOG.md", "changelog"],
    ["packages/a/CHANGELOG", "changelog"],
    ["History.md", "changelog"],
    ["HISTORY.rst", "changelog"],
    ["NEWS", "changelog"],
    ["RELEASES.md", "changelog"],
    ["go.sum", "lockfile"],
    ["deps/custom.lock", "lockfile"],
    ["gradle.lockfile", "lockfile"],
    [".github/workflows/ci.yml", "ci"],
    [".gitlab-ci.yml", "ci"],
    [".circleci/config.yml", "ci"],
    ["azure-pipelines.yml", "ci"],
    ["Jenkinsfile", "ci"],
    ["src/history.ts", null],
    ["src/news/feed.ts", null],
    ["docs/workflows.md", null],
    ["src/lock.ts", null],
  ])("%s is %s", (path, kind) => {
    expect(triageKind(path)).toBe(kind);
  });

  test("changelogs and CI files are listed with a few lines, counted as triaged, and expandable", () => {
    const entries = Array.from({ length: 30 }, (_, i) => `- change number ${i}`).join("\n");
    const steps = Array.from({ length: 60 }, (_, i) => `      - run: echo step ${i}`).join("\n");
    const pr = changeSetOf([
      { path: "src/app.ts", base: "export const a = 1;\n", head: "export const a = 2;\n" },
      { path: "CHANGELOG.md", base: "# Changes\n", head: `# Changes\n\n## 2.0.0\n${entries}\n` },
      { path: ".github/workflows/ci.yml", base: null, head: `on: push\njobs:\n  test:\n    steps:\n${steps}\n` },
    ]);
    const plan = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    const text = plan.windows.map(renderWindow).join("\n");
    expect(text).toMatch(/\[Changelog, listed only \(not reviewed line by line\): 32 added and 0 deleted lines; 8 shown; the whole change: expand c\d+\]/);
    expect(text).toContain("- change number 5");
    expect(text).not.toContain("- change number 20");
    expect(text).toMatch(
      /\[CI configuration, listed only \(not reviewed line by line\): 64 added and 0 deleted lines; 40 shown; the whole change: expand c\d+\]/,
    );
    expect(plan.coverage).toMatchObject({ changedLines: 2 + 32 + 64, reviewedLines: 2, triagedLines: 32 + 64, foldedLines: 0, summarizedLines: 0 });
    expect(plan.stats.compaction.triagedFiles).toBe(2);
    const ref = /Changelog.*expand (c\d+)\]/.exec(text)![1]!;
    const full = expandCompacted(plan, ref)!;
    expect(full).toMatchObject({ kind: "triaged", path: "CHANGELOG.md" });
    expect(full.text).toContain("- change number 29");
  });
});

describe("manifest relations", () => {
  test("a manifest's new dependency relates it to the code that imports it, per ecosystem", () => {
    const relations = manifestRelations([
      { path: "package.json", added: ['    "zod": "^3.23.0",', '    "build": "tsc -p ."'] },
      { path: "src/api/schema.ts", added: ['import { z } from "zod";'] },
      { path: "src/api/other.ts", added: ['import { build } from "./build";'] },
      { path: "svc/pyproject.toml", added: ['  "requests>=2.31",', 'name = "svc"'] },
      { path: "svc/app/client.py", added: ["import requests"] },
      { path: "other/app/client.py", added: ["import requests"] },
      { path: "go.mod", added: ["\tgithub.com/google/uuid v1.6.0"] },
      { path: "internal/ids/ids.go", added: ['\t"github.com/google/uuid"'] },
      { path: "Cargo.toml", added: ['serde-json = "1"'] },
      { path: "src/lib.rs", added: ["use serde_json::Value;"] },
      { path: "requirements-dev.txt", added: ["PyYAML==6.0", "pytest-cov>=4"] },
    ]);
    expect(relations).toEqual(
      expect.arrayContaining([
        { from: "src/api/schema.ts", to: "package.json", kind: "manifest" },
        { from: "svc/app/client.py", to: "svc/pyproject.toml", kind: "manifest" },
        { from: "internal/ids/ids.go", to: "go.mod", kind: "manifest" },
        { from: "src/lib.rs", to: "Cargo.toml", kind: "manifest" },
      ]),
    );
    // Code outside the manifest's directory, or not importing what it adds, is not related.
    expect(relations.filter((r) => r.from === "src/api/other.ts" || r.from === "other/app/client.py")).toEqual([]);
    expect(relations).toHaveLength(4);
  });

  test("the manifest travels in the window of the code that uses its new dependency", () => {
    const files = Array.from({ length: 12 }, (_, i) => ({
      path: `src/m${String(i).padStart(2, "0")}/service.ts`,
      base: null,
      head: tsFunctions(12, 6, `svc${i}_`),
    }));
    const user = { path: "src/aa/uses-zod.ts", base: null, head: 'import { z } from "zod";\n\nexport const Input = z.object({ id: z.string() });\n' };
    const manifest = {
      path: "package.json",
      base: '{\n  "name": "app",\n  "dependencies": {\n    "pino": "^9.0.0"\n  }\n}\n',
      // Large enough not to slip into a window's leftover room by itself.
      head: `{\n  "name": "app",\n  "scripts": {\n${Array.from({ length: 80 }, (_, i) => `    "task${i}": "node scripts/task-${i}.js --verbose",`).join("\n")}\n  },\n  "dependencies": {\n    "pino": "^9.0.0",\n    "zod": "^3.23.0"\n  }\n}\n`,
    };
    const plan = buildWindowPlan(changeSetOf([manifest, ...files, user]), GLOBAL, { windowTokens: 6_000, outputTokens: 500, contextTokens: 200_000 });
    expect(plan.windows.length).toBeGreaterThan(2);
    const windowOf = (path: string) => plan.windows.find((w) => w.local.files.some((f) => f.path === path))!.id;
    expect(windowOf("package.json")).toBe(windowOf("src/aa/uses-zod.ts"));
  });
});
