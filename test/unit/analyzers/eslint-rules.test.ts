import { describe, expect, test } from "@jest/globals";
import { readdirSync } from "node:fs";
import { createEslintAnalyzer } from "../../../src/analyzers/eslint/linter-analyzer.js";
import { captureLog, expectedMarkers, findingKeys, FIXTURES, inputFor, readFixture } from "./helpers.js";

const analyzer = createEslintAnalyzer({ log: captureLog().log });
const fixtures = readdirSync(`${FIXTURES}eslint`).sort();

/**
 * Each fixture marks the lines that must be reported with `// expect: rule`;
 * every other line is a negative case that must stay silent.
 */
describe("ESLint rules on fixtures", () => {
  test("every rule fixture exists", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(14);
  });

  test.each(fixtures)("%s: exactly the marked lines are reported", async (name) => {
    const content = readFixture(`eslint/${name}`);
    const { findings } = await analyzer.analyze(inputFor([{ path: `src/${name}`, content }]));
    expect(findingKeys(findings)).toEqual(expectedMarkers(content));
  });
});
