import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { evalMain } from "../../src/eval/eval-command.js";
import { startEvalModel, type EvalModelStats } from "./server.js";
import { DEFAULT_RATES, SIMULATED_MODEL, type SimulationRates } from "./simulation.js";

/**
 * `npm run eval:scripted`: the real eval (`npm run eval`: the real `openai` SDK over HTTP,
 * the reviewer's validation, every stage of the pipeline) against the SIMULATED model of
 * server.ts on loopback. The simulation reads the dataset's labels and errs at fixed, seeded
 * rates, so the numbers measure the pipeline's mechanics and the eval's bookkeeping, never a
 * model's judgement. No key is needed; the report and the summary say it is a simulation.
 */

const EXIT_USAGE = 2;

const BANNER =
  "SIMULATED MODEL: this run's findings and verdicts come from a scripted stand-in that reads the case labels and errs at fixed, " +
  "seeded rates (tools/eval-model/simulation.ts). The numbers measure the pipeline's mechanics (quote checks, scope, merging, " +
  "verification, matching), not any model's judgement.";

const HELP = `Usage: npm run eval:scripted -- [--seed S] [eval options]

Runs \`npm run eval\` against a SIMULATED model on loopback (tools/eval-model/): it reads the
dataset's labels and reports most of them, misses and misquotes some, adds false positives, and
its verifier errs at stated rates. It measures the pipeline's mechanics, not a model's judgement.

  --seed S      Seed of the simulation's draws (default 1); the same seed gives the same run
  --dataset DIR Default eval/cases
  --out DIR     Default eval/results/<time>-scripted

Every other option is the eval's (npm run eval -- --help), except --offline, --model, --judge
and --judge-model, which make no sense against a simulation.
`;

/** Returns the exit code (the eval's, or 2 for an option the simulation refuses); tests run it in-process. */
export async function scriptedEvalMain(argv: readonly string[], io: CliIo, options: { readonly rates?: SimulationRates } = {}): Promise<number> {
  const args = [...argv];
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(HELP);
    return 0;
  }
  const seed = takeOption(args, "--seed") ?? "1";
  const refused = args.find((a) => ["--offline", "--model", "--judge", "--judge-model"].includes(a.split("=")[0]!));
  if (refused !== undefined) {
    io.stderr.write(`eval:scripted: ${refused} cannot be used with the simulated model; use npm run eval for that\n`);
    return EXIT_USAGE;
  }
  const dataset = optionValue(args, "--dataset") ?? "eval/cases";
  if (optionValue(args, "--dataset") === undefined) args.push("--dataset", dataset);
  const out = optionValue(args, "--out") ?? join("eval", "results", `${timestamp(new Date())}-scripted`);
  if (optionValue(args, "--out") === undefined) args.push("--out", out);

  const model = await startEvalModel({ dataset: resolve(io.cwd, dataset), seed, ...(options.rates ? { rates: options.rates } : {}) });
  try {
    io.stderr.write(`eval:scripted: ${BANNER}\neval:scripted: seed ${seed}; simulated model on ${model.baseUrl}\n`);
    const env: NodeJS.ProcessEnv = {
      ...io.env,
      OPENAI_API_KEY: "scripted-simulation-not-a-key",
      OPENAI_BASE_URL: model.baseUrl,
      LONGVIEW_MODEL: SIMULATED_MODEL,
      LONGVIEW_OPENAI_API: io.env.LONGVIEW_OPENAI_API ?? "responses",
    };
    // One model name for every pass, so the report names the simulation and nothing else.
    delete env.LONGVIEW_SURVEY_MODEL;
    delete env.LONGVIEW_VERIFICATION_MODEL;
    const code = await evalMain(args, { ...io, env });
    if (code === 0) {
      const report = join(resolve(io.cwd, out), "report.md");
      await writeFile(report, `> **${BANNER}** Seed ${seed}.\n\n${await readFile(report, "utf8")}`, "utf8");
      io.stdout.write(`\n${summary(model.stats, seed, options.rates ?? DEFAULT_RATES)}`);
    }
    return code;
  } finally {
    await model.close();
  }
}

/** What the simulation did, so its rates can be read next to the eval's numbers. */
function summary(stats: EvalModelStats, seed: string, simulationRates: SimulationRates): string {
  const r = stats.review;
  const v = stats.verdicts;
  const rates = Object.entries(simulationRates)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `SIMULATED MODEL (seed ${seed}; rates: ${rates})`,
    `Window reviews: ${stats.requests.review} requests; labelled issues shown: ${r.reported} reported with a correct quote, ${r.missed} missed, ` +
      `${r.garbled} with a quote found nowhere, ${r.neighbour} quoting a neighbouring line; false positives: ${r["false-positive"]} on changed lines ` +
      `(${r.duplicate} more as a second category), ${r.surrounding} on surrounding code${stats.unknownWindows > 0 ? `; ${stats.unknownWindows} windows of no known case` : ""}`,
    `Verification: ${stats.requests.verification} requests; on a label ${v.onLabel.confirmed} confirmed / ${v.onLabel.rejected} rejected / ${v.onLabel.uncertain} uncertain; ` +
      `on no label ${v.offLabel.confirmed} confirmed / ${v.offLabel.rejected} rejected / ${v.offLabel.uncertain} uncertain` +
      `${v.unknown.confirmed + v.unknown.rejected + v.unknown.uncertain > 0 ? `; not reported by the simulation: ${v.unknown.uncertain} uncertain` : ""}`,
    `Survey and synthesis (answered empty): ${stats.requests.survey} and ${stats.requests.synthesis} requests${stats.requests.rejected > 0 ? `; ${stats.requests.rejected} other requests refused` : ""}`,
    "",
  ].join("\n");
}

/** Removes `--name value` / `--name=value` from args and returns the value. */
function takeOption(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i === -1) return undefined;
  const arg = args[i]!;
  if (arg.includes("=")) {
    args.splice(i, 1);
    return arg.slice(name.length + 1);
  }
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function optionValue(args: readonly string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i === -1) return undefined;
  const arg = args[i]!;
  return arg.includes("=") ? arg.slice(name.length + 1) : args[i + 1];
}

/** `20250314-153012`, as the eval names its result directories. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
}
