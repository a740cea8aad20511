import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { createTemplateRulesAnalyzer } from "../../../src/analyzers/template-rules.js";
import { requestedSyntaxLanguages } from "../../../src/analyzers/syntax/grammars.js";
import { SYNTAX_RULES } from "../../../src/analyzers/syntax/syntax-findings.js";
import { captureLog, expectedMarkers, findingKeys, FIXTURES, inputFor, readFixture } from "./helpers.js";

const analyzer = createTemplateRulesAnalyzer({ log: captureLog().log });
const fixtures = readdirSync(`${FIXTURES}syntax`).sort();

/**
 * Each fixture marks the lines that must be reported with `# expect: rule` or
 * `// expect: rule`; every other line is a negative case that must stay silent.
 */
describe("Python and Go syntax rules", () => {
  test("grammars load on the first file of their language only", async () => {
    expect(requestedSyntaxLanguages()).toEqual([]);
    await analyzer.analyze(inputFor([{ path: "src/app.js", content: "const a = 1;\n" }]));
    expect(requestedSyntaxLanguages()).toEqual([]);
    await analyzer.analyze(inputFor([{ path: "app/views.py", content: "x = 1\n" }]));
    expect(requestedSyntaxLanguages()).toEqual(["python"]);
  });

  test.each(fixtures)("%s: exactly the marked lines are reported", async (name) => {
    const content = readFixture(`syntax/${name}`);
    // Outside a tests folder: the secret and log rules stay quiet in test files.
    const { findings } = await analyzer.analyze(inputFor([{ path: `src/${name}`, content }]));
    expect(findingKeys(findings)).toEqual(expectedMarkers(content));
  });

  test("every rule has a positive fixture, and every finding says why and how to fix it", async () => {
    const marked = new Set(fixtures.flatMap((name) => expectedMarkers(readFixture(`syntax/${name}`)).map((key) => key.slice(key.indexOf(":") + 1))));
    for (const rule of SYNTAX_RULES) {
      expect(marked).toContain(rule.id);
      expect(rule.advice.length).toBeGreaterThan(80);
    }
  });

  test("secret and log rules stay quiet in test files", async () => {
    const content = readFixture("syntax/security.py");
    const { findings } = await analyzer.analyze(inputFor([{ path: "tests/test_security.py", content }]));
    expect(findings.some((f) => f.ruleId === "python/hardcoded-secret" || f.ruleId === "python/sensitive-data-in-log")).toBe(false);
    expect(findings.some((f) => f.ruleId === "python/sql-injection")).toBe(true);
  });

  test("safe autofixes replace only the reported expression", async () => {
    const py = "import yaml\n\ndef load(text):\n    return yaml.load(text, Loader=yaml.Loader)\n";
    const go = 'package p\n\nimport "strings"\n\nfunc last(s string) string {\n\tparts := strings.Split(s, "/")\n\treturn parts[len(parts)]\n}\n';
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "a.py", content: py },
        { path: "b.go", content: go },
      ]),
    );
    const byRule = new Map(findings.map((f) => [f.ruleId, f]));
    expect(byRule.get("python/unsafe-yaml-load")).toMatchObject({
      line: 4,
      suggestion: "    return yaml.safe_load(text)",
      category: "security",
      severity: "P0",
    });
    expect(byRule.get("go/index-out-of-range")).toMatchObject({ line: 7, suggestion: "\treturn parts[len(parts)-1]", category: "bug" });
  });

  test("a finding names the rule and the fix", async () => {
    const content = "import yaml\n\ndef load(text):\n    return yaml.load(text)\n";
    const { findings } = await analyzer.analyze(inputFor([{ path: "a.py", content }]));
    expect(findings.map((f) => f.ruleId)).toEqual(["python/unsafe-yaml-load"]);
    expect(findings[0]!.body).toContain("yaml.safe_load");
  });
});
