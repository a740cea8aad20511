import { generatePr, generateRenamePr } from "./fixtures/generate-pr.js";
import { buildWindowPlan, initSyntax, formatPlanText, renderWindow, countTokens } from "../src/context/index.js";
await initSyntax();
for (const n of [1000, 10000, 100000]) {
  let t0 = performance.now();
  const pr = generatePr(n);
  const gen = performance.now() - t0;
  const rss0 = process.memoryUsage().rss / 1e6;
  t0 = performance.now();
  const plan = buildWindowPlan(pr.changeSet, { title: "t", description: "d", guidelines: "g" }, { windowTokens: 24000, outputTokens: 8000, contextTokens: 272000 });
  const ms = performance.now() - t0;
  console.log(n, pr.files, pr.changedLines, "gen", gen.toFixed(0), "build", ms.toFixed(0), "windows", plan.windows.length, "rss0", rss0.toFixed(0), "maxrss", (process.resourceUsage().maxRSS / 1024).toFixed(0));
  console.log(formatPlanText(plan).split("\n").slice(0, 3).join("\n"));
  let bad = 0; for (const w of plan.windows) if (countTokens(renderWindow(w)) !== w.tokens.total) bad++;
  console.log("token mismatches", bad);
}
const r = generateRenamePr(2000);
const t0 = performance.now();
const plan = buildWindowPlan(r.changeSet, { title: "t", description: "d", guidelines: "g" }, { windowTokens: 24000, outputTokens: 8000, contextTokens: 272000 });
console.log("rename", (performance.now() - t0).toFixed(0), formatPlanText(plan).split("\n").slice(0, 6).join("\n"));
