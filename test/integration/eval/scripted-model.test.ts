import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import nock from "nock";
import { EvalResultSchema, type EvalResult } from "../../../src/eval/result.js";
import { scriptedEvalMain } from "../../../tools/eval-model/run-scripted-eval.js";
import { DEFAULT_RATES, SIMULATED_MODEL, type SimulationRates } from "../../../tools/eval-model/simulation.js";
import { tempDir, type TempDir } from "./run-eval-cli.js";

/**
 * `npm run eval:scripted`: the real eval, the real openai SDK over HTTP and
 * the whole pipeline against the simulated model on loopback, on a few
 * cases of the starter dataset. With no simulated errors every label is
 * found and confirmed, so any loss would be the pipeline's or the eval's;
 * with errors, each one shows up at the stage that should catch it. No
 * analyzer rule catches these cases, so the counts are the model's alone.
 */

const CASES = [
  "ts-invoice-pagination",
  "py-invoice-idor",
  "go-profile-nil-user",
  "js-import-foreach-async",
  "xf-ts-find-invoice-async",
  "clean-py-retry-backoff",
  "clean-go-pagination",
];

const PERFECT: SimulationRates = Object.fromEntries(Object.keys(DEFAULT_RATES).map((k) => [k, 0])) as unknown as SimulationRates;

let out: TempDir;

beforeAll(async () => {
  // nock's fetch interceptor (test/setup-after-env.ts) cannot pass the SDK's requests through to a real
  // server ("Request.clone: unusable"); this suite talks to its own loopback server only.
  nock.restore();
  out = await tempDir("longview-eval-scripted-");
});

afterAll(async () => {
  await out.remove();
});

async function run(name: string, extra: readonly string[] = [], options: { rates?: SimulationRates; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = "";
  let stderr = "";
  const dir = join(out.path, name);
  const code = await scriptedEvalMain(
    ["--dataset", "eval/cases", ...CASES.flatMap((id) => ["--case", id]), "--out", dir, "-q", ...extra],
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      stdin: Readable.from([]),
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, ...options.env },
    },
    options.rates ? { rates: options.rates } : {},
  );
  const result: EvalResult | null = code === 0 ? EvalResultSchema.parse(JSON.parse(await readFile(join(dir, "result.json"), "utf8"))) : null;
  return { code, stdout, stderr, result, report: code === 0 ? await readFile(join(dir, "report.md"), "utf8") : "" };
}

const sum = (result: EvalResult, key: "droppedEvidence" | "droppedScope" | "merged" | "reanchored" | "droppedVerification") =>
  result.cases.reduce((total, c) => total + (c.funnel?.[key] ?? 0), 0);

describe("eval:scripted", () => {
  test("no simulated errors: every label found and confirmed, before and after verification (Responses API)", async () => {
    const { code, result, stdout } = await run("perfect", [], { rates: PERFECT });
    expect(code).toBe(0);
    expect(result?.model).toBe(SIMULATED_MODEL);
    expect(result?.overall).toMatchObject({ expected: 6, matchedExpected: 6, recall: 1, precision: 1 });
    expect(result?.beforeVerification?.overall).toMatchObject({ expected: 6, matchedExpected: 6, recall: 1, precision: 1 });
    expect(result?.beforeVerification).toMatchObject({ dropped: 0, droppedMatched: 0 });
    expect([sum(result!, "droppedEvidence"), sum(result!, "droppedScope"), sum(result!, "droppedVerification")]).toEqual([0, 0, 0]);
    expect(result?.cases.every((c) => c.verification?.enabled && c.verification.rejected === 0)).toBe(true);
    expect(result!.totals.review.modelCalls).toBeGreaterThan(0);
    expect(stdout).toContain("SIMULATED MODEL (seed 1;");
  });

  test("the same through Chat Completions", async () => {
    const { code, result } = await run("perfect-chat", [], { rates: PERFECT, env: { LONGVIEW_OPENAI_API: "chat" } });
    expect(code).toBe(0);
    expect(result?.overall).toMatchObject({ matchedExpected: 6, recall: 1, precision: 1 });
  });

  test("misquoted findings are dropped for evidence; false positives reported twice are merged; the verifier's errors move the scores", async () => {
    const garbled = await run("garbled", [], { rates: { ...PERFECT, garbledQuote: 1 } });
    expect(sum(garbled.result!, "droppedEvidence")).toBe(6);
    expect(garbled.result?.beforeVerification?.overall).toMatchObject({ matchedExpected: 0 });

    const noisy = await run("noisy", [], { rates: { ...PERFECT, falsePositive: 1, duplicate: 1 } });
    // Every changed file shown gets a false positive, each reported under two categories and merged into one.
    expect(sum(noisy.result!, "merged")).toBeGreaterThan(0);
    expect(noisy.result?.beforeVerification?.overall.matchedFindings).toBe(6);
    expect(noisy.result?.beforeVerification?.overall.findings).toBe(6 + sum(noisy.result!, "merged"));
    // A perfect verifier removes exactly the false positives.
    expect(noisy.result?.overall).toMatchObject({ matchedExpected: 6, findings: 6, precision: 1 });
    expect(noisy.result?.beforeVerification).toMatchObject({ dropped: sum(noisy.result!, "merged"), droppedMatched: 0 });

    const credulous = await run("credulous", [], { rates: { ...PERFECT, falsePositive: 1, rejectTrue: 1, confirmFalse: 1 } });
    expect(credulous.result?.overall).toMatchObject({ matchedExpected: 0 });
    expect(credulous.result?.beforeVerification?.overall).toMatchObject({ matchedExpected: 6 });
  });

  test("default rates: reproducible for a seed, another seed differs; labelled a simulation in the report", async () => {
    const strip = (r: EvalResult) => ({
      ...r,
      startedAt: "",
      totals: { ...r.totals, wallMs: 0, review: { ...r.totals.review, durationMs: 0 } },
      cases: r.cases.map((c) => ({ ...c, review: { ...c.review, durationMs: 0 } })),
    });
    const first = await run("seed-1a");
    const again = await run("seed-1b", ["--concurrency", "3"]);
    const other = await run("seed-2", ["--seed", "2"]);
    expect(strip(again.result!)).toEqual(strip(first.result!));
    expect(strip(other.result!)).not.toEqual(strip(first.result!));
    const before = first.result!.beforeVerification!.overall;
    expect(before.findings).toBeGreaterThanOrEqual(first.result!.overall.findings);
    expect(first.report.startsWith("> **SIMULATED MODEL:")).toBe(true);
    expect(first.report).toContain("## Verification and the findings funnel");
    expect(first.stderr).toContain("SIMULATED MODEL");
  });

  test("options that make no sense against a simulation are refused", async () => {
    for (const option of ["--judge", "--offline", "--model=gpt-5"]) {
      const refused = await run("refused", [option]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("cannot be used with the simulated model");
    }
  });
});
