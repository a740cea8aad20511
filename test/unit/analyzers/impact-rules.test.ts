import { describe, expect, it } from "@jest/globals";
import pino from "pino";
import { createTemplateRulesAnalyzer } from "../../../src/analyzers/template-rules.js";
import { impactFindings, IMPACT_ARITY_RULE, IMPACT_RENAMED_RULE } from "../../../src/analyzers/impact-rules.js";
import { computeImpact } from "../../../src/repo/impact.js";
import { memorySnapshot } from "../../../src/repo/memory-snapshot.js";
import { changeSetOf } from "../context/helpers.js";

const BASE = "export function checkToken(token, user) {\n  return user.tokens.includes(token);\n}\n";
const headWith = (params: string) => `export function checkToken(${params}) {\n  return opts && user.tokens.includes(token);\n}\n`;

async function impactOf(head: string, files: Record<string, string>, path = "src/auth/token.js", base = BASE) {
  const changeSet = changeSetOf([{ path, base, head }]);
  const { impact } = await computeImpact({ changeSet, snapshot: memorySnapshot({ [path]: head, ...files }) });
  return { changeSet, impact };
}

const CALLER = 'import { checkToken } from "../auth/token.js";\n\nexport function ok(req, user) {\n  return checkToken(req.token, user);\n}\n';

describe("impact rules", () => {
  it("flags an imported caller whose argument count fitted the old signature and not the new one", async () => {
    const { changeSet, impact } = await impactOf(headWith("user, token, opts"), { "src/routes/login.js": CALLER });
    const findings = impactFindings(impact, changeSet.headContents);
    expect(findings).toEqual([
      expect.objectContaining({ path: "src/auth/token.js", line: 1, ruleId: IMPACT_ARITY_RULE, category: "bug", source: "longview-rules" }),
    ]);
    expect(findings[0]!.body).toContain("`src/routes/login.js:4` passes 2");
  });

  it("reaches the offline analyzers through the template-rules analyzer", async () => {
    const { changeSet, impact } = await impactOf(headWith("user, token, opts"), { "src/routes/login.js": CALLER });
    const analyzer = createTemplateRulesAnalyzer({ log: pino({ level: "silent" }) });
    const report = await analyzer.analyze({
      files: changeSet.files,
      headContents: changeSet.headContents,
      lineMap: changeSet.lineMap,
      filter: "added",
      impact,
    });
    expect(report.findings.map((f) => f.ruleId)).toContain(IMPACT_ARITY_RULE);
  });

  it("stays silent when the count still fits or the call cannot be tied to the changed function", async () => {
    const cases: [string, Record<string, string>][] = [
      // A defaulted parameter keeps two-argument calls valid (the swapped order is for the model).
      [headWith("user, token, opts = {}"), { "src/routes/login.js": CALLER }],
      // An aliased import, a method call, a spread, a call across lines, a same-named function from elsewhere.
      [headWith("user, token, opts"), { "src/a.js": 'import { checkToken as ct } from "../auth/token.js";\nct(a, b);\ncheckToken(a, b);\n' }],
      [
        headWith("user, token, opts"),
        { "src/b.js": 'import { checkToken } from "./auth/token.js";\nauth.checkToken(a, b);\ncheckToken(...args);\ncheckToken(a,\n  b);\n' },
      ],
      [headWith("user, token, opts"), { "src/c.js": 'import { checkToken } from "./other/token.js";\ncheckToken(a, b);\n' }],
      [headWith("user, token, opts"), { "src/d.ts": 'import type { checkToken } from "./auth/token.js";\ncheckToken(a, b);\n' }],
    ];
    for (const [head, files] of cases) {
      const { changeSet, impact } = await impactOf(head, files);
      expect(impactFindings(impact, changeSet.headContents)).toEqual([]);
    }
  });

  it("flags importers of a renamed export unless the old name is still there", async () => {
    const base = "export function parseDate(v) {\n  return new Date(v);\n}\n";
    const renamed = "export function parseIsoDate(v) {\n  return new Date(v);\n}\n";
    const importer = { "src/reports/monthly.js": 'import { parseDate } from "../util/dates.js";\nexport const m = (r) => parseDate(r.at);\n' };
    const { changeSet, impact } = await impactOf(renamed, importer, "src/util/dates.js", base);
    expect(impactFindings(impact, changeSet.headContents)).toEqual([expect.objectContaining({ ruleId: IMPACT_RENAMED_RULE, line: 1 })]);
    const aliased = `${renamed}export { parseIsoDate as parseDate };\n`;
    const kept = await impactOf(aliased, importer, "src/util/dates.js", base);
    expect(impactFindings(kept.impact, kept.changeSet.headContents)).toEqual([]);
  });
});
