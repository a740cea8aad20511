import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { createTemplateRulesAnalyzer } from "../../../src/analyzers/template-rules.js";
import { captureLog, expectedMarkers, findingKeys, FIXTURES, inputFor, readFixture } from "./helpers.js";

const analyzer = createTemplateRulesAnalyzer({ log: captureLog().log });

describe("template and text rules", () => {
  test.each(readdirSync(`${FIXTURES}templates`).sort())("%s: exactly the marked lines are reported", async (name) => {
    const content = readFixture(`templates/${name}`);
    const { findings } = await analyzer.analyze(inputFor([{ path: `views/${name}`, content }]));
    expect(findingKeys(findings)).toEqual(expectedMarkers(content));
    for (const finding of findings) {
      expect(finding).toMatchObject({ source: "longview-rules", side: "RIGHT", category: "security", suggestion: null, corroboratedBy: [] });
      expect(finding.title).not.toContain("\n");
    }
  });

  test("the TLS text rule leaves JavaScript and TypeScript to the AST rule", async () => {
    const content = 'const cmd = "NODE_TLS_REJECT_UNAUTHORIZED=0 node x.js";\n';
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "scripts/run.ts", content },
        { path: "scripts/run.sh", content },
      ]),
    );
    expect(findings.map((f) => f.path)).toEqual(["scripts/run.sh"]);
  });

  test("titles show the template expression, shortened", async () => {
    const content = `<%- ${"a".repeat(80)} %>\n`;
    const {
      findings: [finding],
    } = await analyzer.analyze(inputFor([{ path: "v.ejs", content }]));
    expect(finding?.title).toBe(`Unescaped EJS output \`<%- ${"a".repeat(49)}… %>\``);
  });
});
