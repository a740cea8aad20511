import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { OUTPUT_FORMATS } from "./formats/index.js";
import type { ChangeSourceOptions } from "./local-change.js";
import { errorMessage, UsageError } from "./io.js";
import { parsePullTarget, type PullTarget } from "./pull-target.js";

/**
 * Command-line words → validated, typed options. `parseArgs` does the
 * tokenising (unknown options are errors), zod the meaning; every problem
 * becomes a UsageError with one line for the user.
 */

export const CONTEXT_FORMATS = ["text", "json"] as const;

const SOURCE_OPTIONS = {
  base: { type: "string" },
  head: { type: "string" },
  repo: { type: "string" },
  "working-tree": { type: "boolean" },
  diff: { type: "string" },
  config: { type: "string" },
  budget: { type: "string" },
  format: { type: "string" },
  output: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const REVIEW_OPTIONS = {
  ...SOURCE_OPTIONS,
  "fail-on": { type: "string" },
  pr: { type: "string" },
  post: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

const nonEmpty = (option: string) =>
  z
    .string()
    .min(1, { error: `--${option} needs a value` })
    .optional();

const budget = z
  .string()
  .regex(/^\d+$/, { error: (issue) => `--budget expects a whole number of tokens, got "${String(issue.input)}"` })
  .transform(Number)
  .pipe(z.number().min(2_000, { error: "--budget must be at least 2000 tokens" }).max(1_000_000, { error: "--budget must be at most 1000000 tokens" }))
  .optional();

const SourceSchema = z.object({
  base: nonEmpty("base"),
  head: nonEmpty("head"),
  repo: nonEmpty("repo"),
  "working-tree": z.boolean().default(false),
  diff: nonEmpty("diff"),
  config: nonEmpty("config"),
  budget,
  output: nonEmpty("output"),
  quiet: z.boolean().default(false),
  verbose: z.boolean().default(false),
});

const ReviewSchema = SourceSchema.extend({
  format: z.enum(OUTPUT_FORMATS, { error: (issue) => `invalid --format "${String(issue.input)}" (expected ${OUTPUT_FORMATS.join(", ")})` }).default("text"),
  "fail-on": nonEmpty("fail-on"),
  pr: nonEmpty("pr"),
  post: z.boolean().default(false),
});

const ContextSchema = SourceSchema.extend({
  format: z.enum(CONTEXT_FORMATS, { error: (issue) => `invalid --format "${String(issue.input)}" (expected ${CONTEXT_FORMATS.join(", ")})` }).default("text"),
});

export interface CommonOptions {
  readonly source: ChangeSourceOptions;
  readonly config: string | undefined;
  readonly budget: number | undefined;
  readonly output: string | undefined;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export interface ReviewOptions extends CommonOptions {
  readonly format: (typeof OUTPUT_FORMATS)[number];
  /** The raw `--fail-on` value; parsed against the config's gate once the config is known. */
  readonly failOn: string | undefined;
  /** `--pr`: a pull request on GitHub instead of a local change. */
  readonly pull: PullTarget | undefined;
  /** `--post`: post the review on the pull request (only with `--pr`). */
  readonly post: boolean;
}

export interface ContextOptions extends CommonOptions {
  readonly format: (typeof CONTEXT_FORMATS)[number];
}

export type Parsed<T> = { readonly help: true } | { readonly help: false; readonly options: T };

export function parseReviewArgs(args: readonly string[]): Parsed<ReviewOptions> {
  const values = tokenize(args, REVIEW_OPTIONS);
  if (values.help === true) return { help: true };
  const v = validate(ReviewSchema, values);
  return { help: false, options: { ...common(v), format: v.format, failOn: v["fail-on"], pull: pullOf(v), post: v.post } };
}

export function parseContextArgs(args: readonly string[]): Parsed<ContextOptions> {
  const values = tokenize(args, SOURCE_OPTIONS);
  if (values.help === true) return { help: true };
  const v = validate(ContextSchema, values);
  return { help: false, options: { ...common(v), format: v.format } };
}

function common(v: z.infer<typeof SourceSchema>): CommonOptions {
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose cannot be combined");
  return { source: sourceOf(v), config: v.config, budget: v.budget, output: v.output, quiet: v.quiet, verbose: v.verbose };
}

function sourceOf(v: z.infer<typeof SourceSchema>): ChangeSourceOptions {
  if (v.diff !== undefined) {
    const conflicting = (["base", "head", "working-tree"] as const).filter((k) => (k === "working-tree" ? v[k] : v[k] !== undefined));
    if (conflicting.length > 0) throw new UsageError(`--diff cannot be combined with ${conflicting.map((k) => `--${k}`).join(", ")}`);
    return { kind: "diff", diff: v.diff, repo: v.repo };
  }
  if (v["working-tree"] && v.head !== undefined) throw new UsageError("--working-tree compares with the working tree; it cannot be combined with --head");
  return { kind: "git", repo: v.repo ?? ".", base: v.base, head: v.head, workingTree: v["working-tree"] };
}

/** `--pr` replaces the local change and its repository config: the pull request's own come from GitHub. */
function pullOf(v: z.infer<typeof ReviewSchema>): PullTarget | undefined {
  if (v.pr === undefined) {
    if (v.post) throw new UsageError("--post posts a review on a pull request; it needs --pr");
    return undefined;
  }
  const local = (["base", "head", "working-tree", "diff", "repo", "config"] as const).filter((k) => (k === "working-tree" ? v[k] : v[k] !== undefined));
  if (local.length > 0) throw new UsageError(`--pr reviews a pull request on GitHub; it cannot be combined with ${local.map((k) => `--${k}`).join(", ")}`);
  return parsePullTarget(v.pr);
}

/** `parseArgs` with strict options and no positionals; its errors become usage errors (exit code 2). */
export function tokenize<O extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: O): Record<string, unknown> {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // parseArgs' messages already name the option and the fix.
    throw new UsageError(errorMessage(error), { cause: error });
  }
}

/** Parsed option values through a zod schema; the first problem becomes a usage error naming the option. */
export function validate<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue?.path[0];
  const message = issue?.message ?? "invalid options";
  throw new UsageError(message.startsWith("--") || message.startsWith("invalid --") || option === undefined ? message : `--${String(option)}: ${message}`);
}
