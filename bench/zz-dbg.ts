import { buildWindowPlan } from "../src/context/index.js";
import { changeSetOf, GLOBAL, BUDGET_24K, tsFunctions } from "../test/unit/context/helpers.js";
const changeSet = changeSetOf([
  { path: "src/lib/parse.ts", base: null, head: tsFunctions(70, 20, "parse") },
  { path: "src/app/use.ts", base: null, head: 'import { parse1 } from "../lib/parse.js";\n\nexport function run(): number {\n  return parse1(2);\n}\n' },
]);
const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
for (const w of plan.windows) console.log(w.id, w.tokens, w.local.files.map(f => [f.path, f.hunks.map(h => h.hunk.newStart + "+" + h.hunk.newLines)]), JSON.stringify(w.local.peripheral));
