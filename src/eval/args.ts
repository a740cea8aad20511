import type { ParseArgsConfig } from "node:util";
import { z } from "zod";
import { tokenize, validate } from "../cli/args.js";
import { UsageError } from "../cli/io.js";
import { DEFAULT_TOLERANCE } from "./match.js";

/** `npm run eval -- …` words → validated options; every problem is one UsageError line. */

const RUN_OPTIONS = {
  dataset: { type: "string" },
  offline: { type: "boolean" },
  model: { type: "string" },
  out: { type: "string" },
  compare: { type: "string" },
  tolerance: { type: "string" },
  judge: { type: "boolean" },
  "judge-model": { type: "string" },
  budget: { type: "string" },
  concurrency: { type: "string" },
  case: { type: "string", multiple: true },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const IMPORT_OPTIONS = {
  input: { type: "string" },
  diffs: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const required = (option: string) => z.string({ error: `--${option} is required` }).min(1, { error: `--${option} needs a value` });
const optional = (option: string) =>
  z
    .string()
    .min(1, { error: `--${option} needs a value` })
    .optional();

const wholeNumber = (option: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: (issue) => `--${option} expects a whole number, got "${String(issue.input)}"` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `--${option} must be at least ${min}` })
        .max(max, { error: `--${option} must be at most ${max}` }),
    );

const RunSchema = z.object({
  dataset: required("dataset"),
  offline: z.boolean().default(false),
  model: optional("model"),
  out: optional("out"),
  compare: optional("compare"),
  tolerance: wholeNumber("tolerance", 0, 1_000).default(DEFAULT_TOLERANCE),
  judge: z.boolean().default(false),
  "judge-model": optional("judge-model"),
  budget: wholeNumber("budget", 2_000, 1_000_000).optional(),
  concurrency: wholeNumber("concurrency", 1, 64).default(1),
  case: z.array(z.string().min(1)).default([]),
  quiet: z.boolean().default(false),
  verbose: z.boolean().default(false),
});

const ImportSchema = z.object({ input: required("input"), diffs: required("diffs"), out: required("out") });

export interface RunOptions {
  readonly dataset: string;
  readonly offline: boolean;
  readonly model: string | undefined;
  readonly out: string | undefined;
  readonly compare: string | undefined;
  readonly tolerance: number;
  readonly judge: boolean;
  readonly judgeModel: string | undefined;
  readonly budget: number | undefined;
  readonly concurrency: number;
  /** Only these case ids; empty: all. */
  readonly cases: readonly string[];
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export interface ImportOptionsArgs {
  readonly input: string;
  readonly diffs: string;
  readonly out: string;
}

export type EvalCommand =
  | { readonly kind: "help"; readonly topic: "run" | "import-martian" }
  | { readonly kind: "run"; readonly options: RunOptions }
  | { readonly kind: "import-martian"; readonly options: ImportOptionsArgs };

export function parseEvalArgs(argv: readonly string[]): EvalCommand {
  if (argv[0] === "import-martian") {
    const values = tokenize(argv.slice(1), IMPORT_OPTIONS);
    if (values.help === true) return { kind: "help", topic: "import-martian" };
    return { kind: "import-martian", options: validate(ImportSchema, values) };
  }
  const values = tokenize(argv, RUN_OPTIONS);
  if (values.help === true) return { kind: "help", topic: "run" };
  const v = validate(RunSchema, values);
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose cannot be combined");
  if (v.judge && v.offline) throw new UsageError("--judge needs the model; it cannot be combined with --offline");
  if (v["judge-model"] !== undefined && !v.judge) throw new UsageError("--judge-model needs --judge");
  return {
    kind: "run",
    options: {
      dataset: v.dataset,
      offline: v.offline,
      model: v.model,
      out: v.out,
      compare: v.compare,
      tolerance: v.tolerance,
      judge: v.judge,
      judgeModel: v["judge-model"],
      budget: v.budget,
      concurrency: v.concurrency,
      cases: v.case,
      quiet: v.quiet,
      verbose: v.verbose,
    },
  };
}

export const RUN_HELP = `Usage: npm run eval -- --dataset DIR [options]

Runs Longview's review pipeline over labeled cases and scores the findings.

  --dataset DIR         Directory of cases (see eval/README.md)
  --offline             Analyzers only, even when OPENAI_API_KEY is set
  --model M             Model for the review (default: LONGVIEW_MODEL)
  --out DIR             Where report.md and result.json go (default: eval/results/<time>-<mode>)
  --compare FILE        A previous result.json: print and report the deltas
  --tolerance N         Lines a finding may be off the labeled range (default ${DEFAULT_TOLERANCE})
  --judge               An LLM judge decides whether a finding describes the issue (needs OPENAI_API_KEY)
  --judge-model M       Model for the judge (default: the review model)
  --budget N            Tokens per context window (default: LONGVIEW_WINDOW_TOKENS)
  --concurrency N       Cases reviewed at once (default 1)
  --case ID             Only this case (repeatable)
  -q, --quiet           No progress lines
  -v, --verbose         Informational logs on stderr

  npm run eval -- import-martian --input FILE --diffs DIR --out DIR
                        Converts Martian's golden comments into cases
`;

export const IMPORT_HELP = `Usage: npm run eval -- import-martian --input FILE --diffs DIR --out DIR

Converts a golden-comments file of Martian's code-review benchmark into cases.

  --input FILE   The golden comments (a JSON list of pull requests)
  --diffs DIR    Their diffs, one file per pull request: <owner>__<repo>__<number>.diff
  --out DIR      Where the cases are written (one directory per pull request)
`;
