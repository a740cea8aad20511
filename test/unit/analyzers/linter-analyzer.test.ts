import { describe, expect, test } from "@jest/globals";
import { createEslintAnalyzer } from "../../../src/analyzers/eslint/linter-analyzer.js";
import { suggestionFromFix } from "../../../src/analyzers/eslint/to-finding.js";
import { captureLog, inputFor } from "./helpers.js";

describe("ESLint analyzer", () => {
  test("a file that does not parse yields no findings and a warning, and the other files are still linted", async () => {
    const { log, records } = captureLog();
    const analyzer = createEslintAnalyzer({ log });
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "src/broken.ts", content: "export function (\n" },
        { path: "src/ok.js", content: "if (x == NaN) {}\n" },
      ]),
    );
    expect(findings.map((f) => `${f.path}:${f.line}:${f.ruleId}`)).toEqual(["src/ok.js:1:use-isnan"]);
    const warning = records().find((r) => r["path"] === "src/broken.ts");
    expect(warning).toMatchObject({ level: 40, line: 1 });
    expect(String(warning?.["msg"])).toContain("could not be parsed");
  });

  test("a .js file that is a CommonJS script (top-level return) is linted as one", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const content = "if (process.argv.length < 3) return;\nvar o = 010;\nif (x == NaN) {}\n";
    const { findings } = await analyzer.analyze(inputFor([{ path: "bin/cli.js", content }]));
    expect(findings.map((f) => `${f.line}:${f.ruleId}`)).toEqual(["3:use-isnan"]);
  });

  test("parses modern TypeScript and JSX-in-.js without type information", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const ts = [
      "enum Color { Red }",
      "@decorator() class A<T extends object> { constructor(private readonly x: T) {} }",
      "const cfg = { a: 1 } satisfies Record<string, number>;",
      "const f = <T,>(v: T): T => v!;",
      "if (cfg.a == NaN) {}",
    ].join("\n");
    const jsx = "export const C = () => <div onClick={() => eval(code)}>{x}</div>;\n";
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "src/a.mts", content: ts },
        { path: "src/c.jsx", content: jsx },
        { path: "src/d.js", content: jsx },
      ]),
    );
    expect(findings.map((f) => `${f.path}:${f.line}:${f.ruleId}`).sort()).toEqual([
      "src/a.mts:5:use-isnan",
      "src/c.jsx:1:longview/dynamic-code-execution",
      "src/d.js:1:longview/dynamic-code-execution",
    ]);
  });

  test("findings carry classification, source, one-line title and advice", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const content = '\uFEFFconst a = typeof x === "strng";\nexec(`ls ${dir}`);\nimport { exec } from "child_process";\n';
    const { findings } = await analyzer.analyze(inputFor([{ path: "src/m.mjs", content }]));
    const [typo, shell] = [...findings].sort((a, b) => a.line - b.line);
    expect(typo).toMatchObject({
      path: "src/m.mjs",
      line: 1,
      startLine: null,
      side: "RIGHT",
      severity: "P1",
      category: "bug",
      title: "`typeof` compared with a string it never returns",
      source: "eslint",
      ruleId: "valid-typeof",
      confidence: 1,
      suggestion: null,
      corroboratedBy: [],
    });
    expect(typo?.body).toContain("Invalid typeof comparison value.");
    expect(shell).toMatchObject({
      line: 2,
      severity: "P1",
      category: "security",
      source: "longview-rules",
      ruleId: "longview/command-injection",
      confidence: 0.9,
    });
    expect(shell?.title).toBe("Shell command passed to `exec()` is built from run-time data: ``ls ${dir}``");
    expect(shell?.body).toContain("execFile");
  });

  test("hard-coded credentials are not reported in test files", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const content = 'const password = "Tr0ub4dor&3";\n';
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "test/login.test.ts", content },
        { path: "src/login.ts", content },
      ]),
    );
    expect(findings.map((f) => f.path)).toEqual(["src/login.ts"]);
  });

  test("skips files over the size limit and minified files", async () => {
    const { log, records } = captureLog();
    const analyzer = createEslintAnalyzer({ log });
    const big = `if (x == NaN) {}\n${"// filler line of text\n".repeat(50_000)}`;
    const minified = `if (x == NaN) {}\n${"a=1;".repeat(5_000)}\n`;
    const { findings } = await analyzer.analyze(
      inputFor([
        { path: "big.js", content: big },
        { path: "app.min.js", content: minified },
      ]),
    );
    expect(findings).toEqual([]);
    expect(
      records()
        .filter((r) => r["reason"] !== undefined)
        .map((r) => `${r["path"]}:${r["reason"]}`),
    ).toEqual(["big.js:too-large", "app.min.js:minified"]);
  });

  test("stops when aborted", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const controller = new AbortController();
    controller.abort();
    await expect(analyzer.analyze(inputFor([{ path: "a.js", content: "x;\n" }]), controller.signal)).rejects.toThrow();
  });
});

describe("suggestionFromFix", () => {
  const text = "const a = 1;\nif (a == b) {\n  go();\n}\n";
  test("applies a fix inside the reported line", () => {
    expect(suggestionFromFix(text, { line: 2, fix: { range: [19, 21], text: "===" } })).toEqual({ startLine: null, line: 2, suggestion: "if (a === b) {" });
  });
  test("covers a multi-line report", () => {
    expect(suggestionFromFix(text, { line: 2, endLine: 4, fix: { range: [29, 31], text: "stop" } })).toEqual({
      startLine: 2,
      line: 4,
      suggestion: "if (a == b) {\n  stop();\n}",
    });
  });
  test("refuses a fix that reaches outside the reported lines", () => {
    expect(suggestionFromFix(text, { line: 2, fix: { range: [0, 21], text: "x" } })).toBeNull();
    expect(suggestionFromFix(text, { line: 2 })).toBeNull();
  });
});

describe("secrets quoted in analyzer messages", () => {
  test("are redacted from titles", async () => {
    const analyzer = createEslintAnalyzer({ log: captureLog().log });
    const token = "ghp_Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz0Xc";
    const content = `import { exec } from "child_process";\nexec(\`curl --silent --show-error -H 'Authorization: token ${token}' \${url}\`);\n`;
    const {
      findings: [finding],
    } = await analyzer.analyze(inputFor([{ path: "a.js", content }]));
    expect(finding?.ruleId).toBe("longview/command-injection");
    expect(`${finding?.title}${finding?.body}`).not.toContain(token.slice(0, 8));
    expect(finding?.title).toContain("token [REDAC");
  });
});

describe("hard-coded credentials handed to redaction", () => {
  const analyzer = createEslintAnalyzer({ log: captureLog().log });
  const valuesOf = (content: string, secrets: readonly { start: number; end: number }[] = []) => secrets.map((s) => content.slice(s.start, s.end));

  test("each flagged literal's characters, without quotes, on every line (not only changed ones)", async () => {
    const content = [
      "const db = {",
      '  password: "Sup3r-S3cret!",',
      "  user: 'app',",
      "};",
      "const apiToken = `t0k3n-value-42`;",
      "let dbPassword; dbPassword = 'another-Secret9', other = 1;",
      'const passwordField = "password";',
      "const token = process.env.TOKEN;",
    ].join("\n");
    const report = await analyzer.analyze(inputFor([{ path: "src/db.ts", content }]));
    expect(report.secrets?.every((s) => s.path === "src/db.ts" && s.kind === "credential")).toBe(true);
    expect(valuesOf(content, report.secrets)).toEqual(["Sup3r-S3cret!", "t0k3n-value-42", "another-Secret9"]);
  });

  test("offsets are in the file's own text: after a byte-order mark, CRLF and U+2028 inside a string", async () => {
    const content = '\uFEFFconst note = "a\u2028b";\r\nconst clientSecret = "cl1ent-S3cret";\r\n';
    const report = await analyzer.analyze(inputFor([{ path: "src/a.js", content }]));
    expect(valuesOf(content, report.secrets)).toEqual(["cl1ent-S3cret"]);
  });

  test("two credentials on one line are both handed over, though the line gets one finding", async () => {
    const content = 'const cfg = { password: "first-Secret1", token: "second-Secret2" };\n';
    const report = await analyzer.analyze(inputFor([{ path: "src/a.js", content }]));
    expect(report.findings.filter((f) => f.ruleId === "longview/hardcoded-credentials")).toHaveLength(1);
    expect(valuesOf(content, report.secrets)).toEqual(["first-Secret1", "second-Secret2"]);
  });

  test("files the rule skips (tests) and files that do not parse hand over nothing", async () => {
    const report = await analyzer.analyze(
      inputFor([
        { path: "test/login.test.ts", content: 'const password = "Sup3r-S3cret!";\n' },
        { path: "src/broken.js", content: 'const password = "Sup3r-S3cret!"; (\n' },
      ]),
    );
    expect(report.secrets).toEqual([]);
  });
});
