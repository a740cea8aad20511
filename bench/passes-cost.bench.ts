import { buildWindowPlan, countTokens, initSyntax, resolveMemoryTokenCap, withMemory } from "../src/context/index.js";
import type { Finding } from "../src/domain/finding.js";
import type { MemoryNote } from "../src/domain/window.js";
import type { ModelRequest } from "../src/model/index.js";
import { buildReviewPrompt } from "../src/reviewer/prompt.js";
import { pullRequestMemory } from "../src/reviewer/survey/survey-memory.js";
import { surveyBatches } from "../src/reviewer/survey/survey-batches.js";
import { SURVEY_OUTPUT_TOKENS, surveyRequest } from "../src/reviewer/survey/survey-pass.js";
import { synthesisContent } from "../src/reviewer/synthesis/synthesis-input.js";
import { SYNTHESIS_OUTPUT_TOKENS, synthesisRequest } from "../src/reviewer/synthesis/synthesis-pass.js";
import { generatePr } from "./fixtures/generate-pr.js";

/**
 * What the survey and synthesis passes add to a review, in input tokens
 * (o200k, instructions and messages as sent), on the context benchmark's
 * generated pull requests: `npm run bench:passes`. Window requests carry a
 * full memory (the survey's notes and windows' notes, as in a real review);
 * the survey's answer and the windows' notes are simulated at their typical
 * size (one summary per file, three notes and two findings per window).
 */

const BUDGET = { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 };
const GLOBAL = {
  title: "Migrate services to the new data layer",
  description: "Moves every service to the repository API.\n\n- replaces raw SQL\n- adds audit records\n",
  guidelines: "Flag SQL injection, missing authorization checks, and swallowed errors.",
};

function requestTokens(request: ModelRequest): number {
  return countTokens(request.instructions) + request.messages.reduce((n, m) => n + countTokens(m.content), 0);
}

async function main(): Promise<void> {
  await initSyntax();
  const rows: string[] = [
    "| changed lines | files | windows | window input | survey calls | survey input | synthesis input | passes / windows |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const lines of [300, 1_000, 10_000]) {
    const pr = generatePr(lines);
    const plan = buildWindowPlan(pr.changeSet, GLOBAL, BUDGET);
    const cap = resolveMemoryTokenCap(BUDGET);

    const batches = surveyBatches(plan.windows);
    const surveyInput = batches.reduce((n, b) => n + requestTokens(surveyRequest(b, GLOBAL)), 0);
    const paths = [...new Set(plan.windows.flatMap((w) => w.local.files.map((f) => f.path)))];
    const survey = {
      files: paths.map((path) => ({ path, summary: "moves the service's queries to the repository API and adds an audit record on save" })),
      apiChanges: paths.slice(0, 20).map((path) => ({ path, symbol: "saveRecord", change: "now takes an audit context as its second argument" })),
      risks: [{ path: null, text: "callers outside the change may still pass raw SQL fragments" }],
    };
    const pinned = pullRequestMemory(survey);
    const notes: MemoryNote[] = plan.windows.flatMap((w) =>
      ["suspicion", "api-change", "invariant"].map((kind) => ({
        kind: kind as MemoryNote["kind"],
        path: w.local.files[0]?.path ?? null,
        text: "the repository layer's save() now throws on a missing owner id; callers in other services may not catch it",
        windowId: w.id,
      })),
    );
    const windowInput = plan.windows.reduce((n, w) => n + requestTokens(buildReviewPrompt(withMemory(w, notes, cap, pinned), [])), 0);
    const findings: Finding[] = plan.windows.flatMap((w) =>
      [0, 1].map((i) => ({
        path: w.local.files[0]?.path ?? "x",
        line: 10 + i,
        startLine: null,
        side: "RIGHT" as const,
        severity: "P2" as const,
        category: "bug" as const,
        title: "Missing owner id check before save",
        body: "",
        suggestion: null,
        confidence: 0.6,
        source: "agent" as const,
        ruleId: null,
        corroboratedBy: [],
      })),
    );
    // A single window has nothing to synthesise across: the pipeline skips the pass.
    const synthesisInput =
      plan.windows.length < 2 ? 0 : requestTokens(synthesisRequest(synthesisContent({ windows: plan.windows, notes: [...pinned, ...notes], findings })));
    const share = ((surveyInput + synthesisInput) / windowInput) * 100;
    rows.push(
      `| ${pr.changeSet.files.reduce((n, f) => n + f.additions + f.deletions, 0)} | ${paths.length} | ${plan.windows.length} | ${windowInput} | ${batches.length} | ${surveyInput} | ${synthesisInput} | ${share.toFixed(1)}% |`,
    );
  }
  process.stdout.write(
    `${rows.join("\n")}\n\nOutput caps: survey ${SURVEY_OUTPUT_TOKENS} tokens per batch (low reasoning effort), synthesis ${SYNTHESIS_OUTPUT_TOKENS}; windows LONGVIEW_OUTPUT_TOKENS each.\n`,
  );
}

await main();
