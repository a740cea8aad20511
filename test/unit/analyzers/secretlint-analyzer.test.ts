import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createSecretlintAnalyzer } from "../../../src/analyzers/secretlint-analyzer.js";
import { captureLog, inputFor } from "./helpers.js";

const REDACT_FIXTURES = fileURLToPath(new URL("../../fixtures/redact/", import.meta.url));
const leaky = readFileSync(`${REDACT_FIXTURES}leaky-config.js`, "utf8");
const values = JSON.parse(readFileSync(`${REDACT_FIXTURES}leaky-config.values.json`, "utf8")) as Record<string, string>;

const analyzer = createSecretlintAnalyzer({ log: captureLog().log });

describe("secretlint analyzer", () => {
  test("reports each secret as a P0 security finding on its line, never showing the value", async () => {
    const { findings } = await analyzer.analyze(inputFor([{ path: "deploy/config.js", content: leaky }]));
    const lines = leaky.split("\n");
    const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;
    const summary = findings.map((f) => [f.startLine, f.line, f.title]).sort((a, b) => Number(a[1]) - Number(b[1]));
    const pemStart = lineOf("-----BEGIN RSA PRIVATE KEY-----");
    const pemEnd = lineOf("-----END RSA PRIVATE KEY-----");
    expect(summary).toEqual([
      [null, lineOf("secretAccessKey:"), "Secret committed: AWS secret access key"],
      [null, lineOf("const AWS_SECRET_ACCESS_KEY"), "Secret committed: AWS secret access key"],
      [null, lineOf("octokitAuth ="), "Secret committed: GitHub token (GitHub personal access tokens)"],
      [pemStart, pemEnd, "Secret committed: private key"],
    ]);
    for (const finding of findings) {
      expect(finding).toMatchObject({ severity: "P0", category: "security", source: "secretlint", side: "RIGHT", confidence: 1, suggestion: null });
      expect(finding.ruleId).toMatch(/^@secretlint\/secretlint-rule-/);
      const text = `${finding.title}\n${finding.body}`;
      for (const value of Object.values(values)) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(value.slice(0, 8));
      }
    }
    const github = findings.find((f) => f.title.includes("GitHub"));
    expect(github?.body).toContain(`\`${values["githubToken"]!.slice(0, 4)}…\``);
  });

  test("honors secretlint-disable comments written by the author", async () => {
    const content = `const t = "${values["githubToken"]}"; // secretlint-disable-line\n`;
    expect((await analyzer.analyze(inputFor([{ path: "a.js", content }]))).findings).toEqual([]);
  });

  test("scans any text file and skips minified ones", async () => {
    const yaml = `token: ${values["githubToken"]}\n`;
    const minified = `var a="${values["githubToken"]}";${"x=1;".repeat(3_000)}`;
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "ci/config.yml", content: yaml },
        { path: "dist/app.min.js", content: minified },
      ]),
    );
    expect(findings.map((f) => `${f.path}:${f.line}`)).toEqual(["ci/config.yml:1"]);
  });
});
