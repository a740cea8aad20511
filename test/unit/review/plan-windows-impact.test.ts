import { describe, expect, it } from "@jest/globals";
import { renderWindow } from "../../../src/context/index.js";
import type { ImpactContext } from "../../../src/domain/impact.js";
import { planWindows } from "../../../src/review/plan-windows.js";
import { BUDGET_24K, changeSetOf } from "../context/helpers.js";

const TOKEN = "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO";

describe("planWindows with an impact", () => {
  it("redacts the unchanged code it quotes before a model sees it", async () => {
    const changeSet = changeSetOf([{ path: "src/a.ts", base: "export function f(a) {}\n", head: "export function f(a, b) {}\n" }]);
    const sig = { line: 1, parameters: null, returnType: null };
    const impact: ImpactContext = {
      notices: [],
      changes: [
        {
          path: "src/a.ts",
          symbol: "f",
          renamedTo: null,
          kind: "signature-changed",
          aspects: ["parameters-added"],
          before: { ...sig, text: "export function f(a) {" },
          after: { ...sig, text: "export function f(a, b) {" },
          usages: [{ path: "src/b.ts", line: 3, text: `f("${TOKEN}")`, kind: "call", argumentCount: 1 }],
          usagesTruncated: false,
        },
      ],
    };
    const request = { changeSet, pr: { title: "t", description: "" }, guidelines: "", budget: BUDGET_24K, options: { impact }, flaggedSecrets: [] };
    const redacted = (await planWindows({ ...request, redact: true })).windows.map(renderWindow).join("\n");
    expect(redacted).toContain("src/b.ts:3: f(");
    expect(redacted).not.toContain(TOKEN);
    const plain = (await planWindows({ ...request, redact: false })).windows.map(renderWindow).join("\n");
    expect(plain).toContain(TOKEN);
  });
});
