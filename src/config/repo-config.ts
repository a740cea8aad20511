import { z } from "zod";
import { CATEGORIES, SEVERITIES } from "../domain/finding.js";
import { SUMMARY_MODES, type SummaryMode } from "../domain/walkthrough.js";

/** What a review that did not cover the whole change concludes (`gate.onIncomplete`). */
export const ON_INCOMPLETE = ["failure", "neutral", "success"] as const;
export type OnIncomplete = (typeof ON_INCOMPLETE)[number];

/**
 * `.github/longview.yml`: what a repository may change. Invalid sections fall
 * back to their defaults and the problems are reported in the review, so a
 * typo never disables reviews.
 */

export const REPO_CONFIG_PATH = ".github/longview.yml";

/**
 * One `review.suppress` entry: a finding matching every field given is not
 * posted and does not gate. `rule`: the analyzer rule id (exact); `path`: a
 * glob over the file path; `title`: text the finding's title contains
 * (case-insensitive).
 */
export const SuppressionSchema = z
  .object({
    rule: z.string().min(1).max(200).optional(),
    path: z.string().min(1).max(500).optional(),
    title: z.string().min(1).max(500).optional(),
    /** Why, for the people reading the file; Longview does not use it. */
    reason: z.string().max(1_000).optional(),
  })
  .strict()
  .refine((s) => s.rule !== undefined || s.path !== undefined || s.title !== undefined, {
    message: "a suppression needs at least one of `rule`, `path` or `title`",
  });
export type Suppression = z.infer<typeof SuppressionSchema>;

/** More entries than this are ignored (and reported): matching is per finding and per entry. */
export const MAX_SUPPRESSIONS = 200;

/**
 * What happens to model findings when the verification pass cannot answer for them (an API failure,
 * a refusal, an unusable answer): withhold them and count the review as `incomplete` (the default, like a
 * window the model could not review: `gate.onIncomplete` decides the check, and the next push is
 * reviewed whole), `withhold` them (the review says how many and why), or `post` them marked as
 * unverified (they never gate). Never silently "no findings".
 */
export const ON_VERIFICATION_FAILURE = ["post", "withhold", "incomplete"] as const;
export type OnVerificationFailure = (typeof ON_VERIFICATION_FAILURE)[number];

const VerificationSchema = z
  .object({
    /** A second model pass that checks every model finding against the code before it is posted. */
    enabled: z.boolean().default(true),
    /** Model findings are posted when confirmed at this score or above (0..1). */
    minScore: z.number().min(0).max(1).default(0.5),
    /** Only findings at this score or above may fail the check or be "Fix all" targets (0..1, at least `minScore`). */
    gateScore: z.number().min(0).max(1).default(0.8),
    onFailure: z.enum(ON_VERIFICATION_FAILURE).default("incomplete"),
    /** P0/P1 findings are kept only when a majority of `samples` independent reviews of their window report them. */
    selfConsistency: z
      .object({ enabled: z.boolean().default(false), samples: z.number().int().min(2).max(5).default(3) })
      .strict()
      .default({ enabled: false, samples: 3 }),
  })
  .strict()
  .refine((v) => v.gateScore >= v.minScore, { message: "`gateScore` must be at least `minScore`", path: ["gateScore"] })
  .default({ enabled: true, minScore: 0.5, gateScore: 0.8, onFailure: "incomplete", selfConsistency: { enabled: false, samples: 3 } });

/** Seconds, from a number or a duration string such as "90s", "30m" or "2h"; between 10 s and one day. */
const DurationSeconds = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*(s|m|h)\s*$/, 'a duration such as "90s", "30m" or "2h"')
      .transform((text) => {
        const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$/.exec(text)!;
        return Math.round(Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s" | "m" | "h"]);
      }),
  ])
  .pipe(z.number().int().min(10).max(86_400));

const sections = {
  enabled: z.boolean().default(true),
  /** Draft PRs: skipped unless `review`. */
  drafts: z.enum(["skip", "review"]).default("skip"),
  paths: z
    .object({
      include: z.array(z.string().min(1)).default(["**"]),
      exclude: z.array(z.string().min(1)).default([]),
      /** Skip lockfiles, generated, vendored and minified files. */
      skipGenerated: z.boolean().default(true),
    })
    .strict()
    .default({ include: ["**"], exclude: [], skipGenerated: true }),
  review: z
    .object({
      /** Findings below this severity are not posted. */
      minSeverity: z.enum(SEVERITIES).default("P3"),
      maxInlineComments: z.number().int().min(0).max(200).default(30),
      /** Extra review instructions, added to the repository guidelines. */
      instructions: z.string().max(4_000).default(""),
      /** A cheap model pass over the whole diff before the windows: per-file summaries and API changes every window gets as memory. */
      survey: z.boolean().default(true),
      /** A model pass after the windows over all their notes and findings, for defects that cross windows. */
      synthesis: z.boolean().default(true),
      /** Findings never posted nor gating in this repository (entries are validated one by one: a bad entry is dropped and reported). */
      suppress: z.array(SuppressionSchema).max(MAX_SUPPRESSIONS).default([]),
      /**
       * The walkthrough the review body opens with: `full` (summary, per-file table, riskiest spots), `brief`
       * (summary and riskiest spots) or `off`; `true` and `false` stand for `full` and `off`.
       */
      summary: z
        .union([z.boolean(), z.enum(SUMMARY_MODES)])
        .transform((v): SummaryMode => (v === true ? "full" : v === false ? "off" : v))
        .default("full"),
    })
    .strict()
    .default({ minSeverity: "P3", maxInlineComments: 30, instructions: "", survey: true, synthesis: true, suppress: [], summary: "full" }),
  gate: z
    .object({
      checkName: z.string().min(1).max(100).default("Longview"),
      /** A finding at this severity or worse, in one of `categories`, fails the check. */
      severity: z.enum(SEVERITIES).default("P1"),
      categories: z.array(z.enum(CATEGORIES)).min(1).default(["bug", "security"]),
      onError: z.enum(["neutral", "failure"]).default("neutral"),
      /**
       * The conclusion of a review that did not cover the whole change (files GitHub did not list,
       * windows the model could not review, more than `maxUnreviewedLines` left out by size limits).
       * Blocking findings fail the check whatever this says.
       */
      onIncomplete: z.enum(ON_INCOMPLETE).default("failure"),
      /** Changed lines that size limits (or unreadable diffs) may leave unreviewed before the review counts as incomplete. */
      maxUnreviewedLines: z.number().int().min(0).default(0),
    })
    .strict()
    .default({ checkName: "Longview", severity: "P1", categories: ["bug", "security"], onError: "neutral", onIncomplete: "failure", maxUnreviewedLines: 0 }),
  analyzers: z
    .object({
      enabled: z.boolean().default(true),
      /** `added`: only added lines; `diff_context`: any line inside a hunk. */
      filter: z.enum(["added", "diff_context"]).default("added"),
    })
    .strict()
    .default({ enabled: true, filter: "added" }),
  commands: z
    .object({
      /** Who may run `/agent review`: repository `write` access (or more), `read` access, or anyone who can comment. `/agent fix` always needs write. */
      review: z.enum(["write", "read", "anyone"]).default("write"),
    })
    .strict()
    .default({ review: "write" }),
  verification: VerificationSchema,
  fix: z
    .object({
      /** Proposals the model may make for one `/agent fix` before Longview gives up; each failed validation is fed back. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      /**
       * Files one fix may edit in all. Beyond the findings' files (and files the instructions name), a fix may edit a
       * file that uses a symbol its edits change (a caller of a changed signature), never workflows or actions.
       */
      maxFiles: z.number().int().min(1).max(20).default(5),
      /** After a fix commit, follow the repository's own checks on it and report (and revise, below) in the thread. */
      followCi: z.boolean().default(true),
      /** Follow-up commits Longview may make for checks its fix newly broke; 0 reports CI's verdict without revising. */
      ciRounds: z.number().int().min(0).max(5).default(2),
      /** How long to wait for a fix commit's checks, in seconds; a duration string ("90s", "30m", "2h") is accepted. */
      ciTimeout: DurationSeconds.default(1_800),
    })
    .strict()
    .default({ maxAttempts: 3, maxFiles: 5, followCi: true, ciRounds: 2, ciTimeout: 1_800 }),
} as const;

export const RepoConfigSchema = z.object(sections).strict();
export type RepoConfig = z.infer<typeof RepoConfigSchema>;

export const DEFAULT_REPO_CONFIG: RepoConfig = RepoConfigSchema.parse({});

export interface LoadedRepoConfig {
  readonly config: RepoConfig;
  /** Human-readable problems found in the file; empty when it was valid or absent. */
  readonly problems: readonly string[];
}

/** Validates raw (YAML-parsed) config; invalid sections are replaced by their defaults. */
export function parseRepoConfig(raw: unknown): LoadedRepoConfig {
  if (raw === null || raw === undefined) return { config: DEFAULT_REPO_CONFIG, problems: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { config: DEFAULT_REPO_CONFIG, problems: [`${REPO_CONFIG_PATH}: expected a mapping of settings, got ${describe(raw)}; using defaults.`] };
  }
  const problems: string[] = [];
  const accepted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const schema = (sections as Record<string, z.ZodType>)[key];
    if (!schema) {
      problems.push(`${REPO_CONFIG_PATH}: unknown setting \`${key}\` (known: ${Object.keys(sections).join(", ")}); ignored.`);
      continue;
    }
    const input = key === "review" ? keepValidSuppressions(value, problems) : value;
    const result = schema.safeParse(input);
    if (result.success) accepted[key] = input;
    else {
      for (const issue of result.error.issues) {
        const where = [key, ...issue.path.map(String)].join(".");
        problems.push(`${REPO_CONFIG_PATH}: \`${where}\`: ${issue.message}; using the default for \`${key}\`.`);
      }
    }
  }
  return { config: RepoConfigSchema.parse(accepted), problems };
}

/**
 * `review.suppress` entry by entry: one mistyped suppression is dropped and
 * reported instead of sending the whole `review` section back to its defaults.
 */
function keepValidSuppressions(review: unknown, problems: string[]): unknown {
  if (review === null || typeof review !== "object" || Array.isArray(review)) return review;
  const suppress = (review as Record<string, unknown>)["suppress"];
  if (!Array.isArray(suppress)) return review;
  const kept: unknown[] = [];
  suppress.forEach((entry: unknown, index) => {
    if (kept.length >= MAX_SUPPRESSIONS) {
      if (index === MAX_SUPPRESSIONS) problems.push(`${REPO_CONFIG_PATH}: \`review.suppress\`: more than ${MAX_SUPPRESSIONS} entries; the rest are ignored.`);
      return;
    }
    const parsed = SuppressionSchema.safeParse(entry);
    if (parsed.success) kept.push(entry);
    else {
      const why = parsed.error.issues.map((i) => [i.path.join("."), i.message].filter(Boolean).join(": ")).join("; ");
      problems.push(`${REPO_CONFIG_PATH}: \`review.suppress[${index}]\`: ${why}; this suppression is ignored.`);
    }
  });
  return { ...(review as Record<string, unknown>), suppress: kept };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? `the text "${value.slice(0, 40)}"` : typeof value;
}
