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
import { loadEnv } from "../src/config/env.js";
import { verificationBatches } from "../src/review/verification.js";
import { verificationContent } from "../src/reviewer/verification/verification-input.js";
import { VERIFICATION_OUTPUT_TOKENS, verificationRequest } from "../src/reviewer/verification/verification-pass.js";
import { generatePr } from "./fixtures/generate-pr.js";

/**
 * What the survey and synthesis passes add to a review, in input tokens
 * (o200k, instructions and messages as sent), on the context benchmark's
 * generated pull requests: `npm run bench:passes`. Window requests carry a
 * full memory (the survey's notes and windows' notes, as in a real review);
 * the survey's answer and the windows' notes are simulated at their typical
 * size (one summary per file, three notes and two findings per window).
 *
 * Also: tokens sent per diff token with and without the passes, and the
 * cacheable share of the window requests: the tokens each request shares,
 * from its start, with the first window's request (instructions, the global
 * layer and the pinned memory come first so a provider's prompt cache can
 * serve them). Tool use is bounded per window by LONGVIEW_TOOL_RESULT_TOKENS
 * and depends on the model, so it is reported as that bound, not simulated.
 *
 * The verification pass (second table): its calls and input tokens when the
 * windows report two candidate findings each, on changed lines of their files
 * (the requests as sent: candidates and the file's hunks), against the
 * windows' own input.
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

function requestText(request: ModelRequest): string {
  return [request.instructions, ...request.messages.map((m) => m.content)].join("\n");
}

/** Tokens of `text` that it shares from its start with `first`. */
function sharedPrefixTokens(first: string, text: string): number {
  let k = 0;
  while (k < first.length && k < text.length && first.charCodeAt(k) === text.charCodeAt(k)) k++;
  return countTokens(text.slice(0, k));
}

async function main(): Promise<void> {
  await initSyntax();
  const verifyRows: string[] = [
    "| scenario | windows | candidates (2 per window) | verification calls | verification input | calls / window calls | input / window input |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const rows: string[] = [
    "| scenario | changed lines | files | windows | diff tokens | window input | survey calls | survey input | synthesis input | passes / windows | sent / diff (windows) | sent / diff (with passes) | cacheable prefix of window requests |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [name, lines] of [
    ["300", 300],
    ["1k", 1_000],
    ["10k", 10_000],
    ["100k", 100_000],
  ] as const) {
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
    // Each window carries the pinned memory and the notes of the windows before it (as when they finish in order).
    const requests = plan.windows.map((w, i) => buildReviewPrompt(withMemory(w, notes.slice(0, i * 3), cap, pinned), []));
    const windowInput = requests.reduce((n, r) => n + requestTokens(r), 0);
    const firstText = requests.length > 0 ? requestText(requests[0]!) : "";
    const cacheable = requests.slice(1).reduce((n, r) => n + sharedPrefixTokens(firstText, requestText(r)), 0);
    const cacheableShare = requests.length < 2 ? 0 : cacheable / requests.slice(1).reduce((n, r) => n + requestTokens(r), 0);
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
    // Two candidates per window, on changed lines of its files (the verifier is sent each file's hunks).
    const candidates: Finding[] = plan.windows.flatMap((w) =>
      [0, 1].map((i) => {
        const file = w.local.files[i % w.local.files.length]!;
        const hunk = file.hunks[0]!.hunk;
        return {
          ...findings[0]!,
          path: file.path,
          line: Math.max(1, hunk.newStart + i),
          title: `Missing owner id check before save (${i})`,
          body: "save() now throws on a missing owner id.",
          quote: "save(record)",
        };
      }),
    );
    const verifyBatches = verificationBatches(
      candidates,
      plan.windows.flatMap((w) => w.local.files),
    );
    const verifyInput = verifyBatches.reduce((n, b) => n + requestTokens(verificationRequest(verificationContent(b))), 0);
    verifyRows.push(
      `| ${name} | ${plan.windows.length} | ${candidates.length} | ${verifyBatches.length} | ${verifyInput} | ${(verifyBatches.length / plan.windows.length).toFixed(2)} | ${((verifyInput / windowInput) * 100).toFixed(1)}% |`,
    );
    const diff = plan.stats.diffTokens;
    rows.push(
      `| ${name} | ${pr.changeSet.files.reduce((n, f) => n + f.additions + f.deletions, 0)} | ${paths.length} | ${plan.windows.length} | ${diff} | ${windowInput} | ${batches.length} | ${surveyInput} | ${synthesisInput} | ${share.toFixed(1)}% | ${(windowInput / diff).toFixed(2)} | ${((windowInput + surveyInput + synthesisInput) / diff).toFixed(2)} | ${(cacheableShare * 100).toFixed(1)}% |`,
    );
  }
  process.stdout.write(
    `${rows.join("\n")}\n\nVerification of the windows' findings before posting:\n\n${verifyRows.join("\n")}\n\nOutput caps: survey ${SURVEY_OUTPUT_TOKENS} tokens per batch (low reasoning effort), synthesis ${SYNTHESIS_OUTPUT_TOKENS}, verification ${VERIFICATION_OUTPUT_TOKENS} per batch; windows LONGVIEW_OUTPUT_TOKENS each.\nTools: each window's tool results are capped at LONGVIEW_TOOL_RESULT_TOKENS (default ${loadEnv({}).LONGVIEW_TOOL_RESULT_TOKENS}) and ${loadEnv({}).LONGVIEW_TOOL_CALLS} calls; what a model spends below that depends on the model.\n`,
  );
}

await main();
