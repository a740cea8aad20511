import { z } from "zod";
import { DEFAULT_REPOSITORY_LIMITS, type RepositoryLimits } from "../domain/repository.js";
import { ModelPriceTableSchema } from "./model-prices.js";
import { PROFILE_NAMES, resolveModelProfile } from "./model-profile.js";

/**
 * Process environment → typed settings. Every variable Longview reads is here;
 * `.env.example` documents the same list. All problems are reported at once.
 */

const intFrom = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/** Unset or empty: the model profile decides. */
const optionalInt = (min: number, max: number) => optionalString.pipe(z.coerce.number<string | undefined>().int().min(min).max(max).optional());
const onOff = optionalString.pipe(z.enum(["on", "off"]).optional()).transform((v) => (v === undefined ? undefined : v === "on"));

export const EnvSchema = z
  .object({
    // GitHub App (names are Probot's own, so `probot run` and Longview agree).
    APP_ID: optionalString,
    PRIVATE_KEY: optionalString,
    PRIVATE_KEY_PATH: optionalString,
    WEBHOOK_SECRET: optionalString,
    GHE_HOST: optionalString,
    GHE_PROTOCOL: z.enum(["http", "https"]).optional(),
    HOST: z.string().default("0.0.0.0"),
    PORT: intFrom(3000, 0, 65535),
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),

    // Webhook intake: what one delivery may cost before its signature is checked.
    /** GitHub's own maximum payload is 25 MB; nothing larger is a genuine delivery. */
    LONGVIEW_WEBHOOK_MAX_BYTES: intFrom(25 * 1024 * 1024, 1_024, 1024 * 1024 * 1024),
    /** GitHub gives up on an answer after 10 s. */
    LONGVIEW_WEBHOOK_READ_TIMEOUT_MS: intFrom(10_000, 100, 600_000),
    LONGVIEW_WEBHOOK_IDLE_TIMEOUT_MS: intFrom(5_000, 100, 600_000),
    LONGVIEW_WEBHOOK_BUFFER_BYTES: intFrom(100 * 1024 * 1024, 1_024, 16 * 1024 * 1024 * 1024),

    // Model.
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
    LONGVIEW_MODEL: z.string().min(1).default("gpt-5.1-codex-max"),
    LONGVIEW_REASONING_EFFORT: z.enum(["none", "low", "medium", "high", "xhigh"]).default("medium"),
    /**
     * What the server supports (config/model-profile.ts): auto = ollama on port 11434, else OpenAI's profiles by model
     * family. The five settings after it override one field of the profile each; unset, the profile decides.
     */
    LONGVIEW_MODEL_PROFILE: z.enum(["auto", ...PROFILE_NAMES]).default("auto"),
    LONGVIEW_OPENAI_API: optionalString.pipe(z.enum(["responses", "chat"]).optional()),
    /** strict = server-enforced JSON schema; json = JSON mode; text = no response format (the schema is in the instructions). */
    LONGVIEW_MODEL_OUTPUT: optionalString.pipe(z.enum(["strict", "json", "text"]).optional()),
    LONGVIEW_MODEL_TOOLS: onOff,
    /** Whether the model takes reasoning parameters: auto = OpenAI's reasoning families (gpt-5*, o1/o3/o4*). */
    LONGVIEW_MODEL_REASONING: optionalString.pipe(z.enum(["auto", "on", "off"]).optional()),
    LONGVIEW_OPENAI_TIMEOUT_MS: intFrom(180_000, 1_000, 3_600_000),
    LONGVIEW_OPENAI_MAX_RETRIES: intFrom(2, 0, 10),
    /** The survey pass before the windows (per-file summaries and API changes every window gets as memory). */
    LONGVIEW_SURVEY: z.enum(["on", "off"]).default("on"),
    /** The survey's model (unset: LONGVIEW_MODEL); it runs at low reasoning effort with a small answer. */
    LONGVIEW_SURVEY_MODEL: optionalString,
    /** The synthesis pass after the windows (defects that cross windows). */
    LONGVIEW_SYNTHESIS: z.enum(["on", "off"]).default("on"),
    /** The verification of model findings before they are posted (a repository can also switch it off: `verification.enabled`). */
    LONGVIEW_VERIFICATION: z.enum(["on", "off"]).default("on"),
    /** The verifier's model (unset: LONGVIEW_MODEL). */
    LONGVIEW_VERIFICATION_MODEL: optionalString,

    // Limits.
    LONGVIEW_WINDOW_TOKENS: intFrom(24_000, 2_000, 1_000_000),
    /** Reasoning tokens count as output: room for the model's thinking and its answer (unset: the profile's). */
    LONGVIEW_OUTPUT_TOKENS: optionalInt(256, 200_000),
    /** The one retry after an answer cut off at max_output_tokens doubles the room, up to this. */
    LONGVIEW_OUTPUT_TOKENS_RETRY_MAX: intFrom(64_000, 256, 400_000),
    // The model's tools (per window): what one review's tool loop may spend.
    LONGVIEW_TOOL_CALLS: intFrom(24, 0, 500),
    LONGVIEW_TOOL_RESULT_TOKENS: intFrom(60_000, 1_000, 2_000_000),
    LONGVIEW_TOOL_WALL_MS: intFrom(300_000, 1_000, 3_600_000),
    /** Largest request of a tool-using review; older tool results are compacted to stay under it. */
    LONGVIEW_TOOL_INPUT_TOKENS: intFrom(120_000, 4_000, 2_000_000),
    /** The model's context window (unset: the profile's). */
    LONGVIEW_CONTEXT_TOKENS: optionalInt(2_000, 2_000_000),
    LONGVIEW_WINDOW_CONCURRENCY: intFrom(4, 1, 64),
    LONGVIEW_FETCH_CONCURRENCY: intFrom(8, 1, 64),
    LONGVIEW_MAX_FILE_BYTES: intFrom(1_000_000, 1_000, 100_000_000),
    LONGVIEW_MAX_FILES: intFrom(3_000, 1, 100_000),
    LONGVIEW_MAX_CHANGED_LINES: intFrom(100_000, 1, 100_000_000),
    LONGVIEW_MAX_TOTAL_BYTES: intFrom(100_000_000, 10_000, 10_000_000_000),

    // Reading the rest of the repository (beyond the changed files), per job.
    LONGVIEW_REPO_MAX_FILE_BYTES: intFrom(DEFAULT_REPOSITORY_LIMITS.maxFileBytes, 1_000, 100_000_000),
    LONGVIEW_REPO_MAX_BYTES: intFrom(DEFAULT_REPOSITORY_LIMITS.maxTotalBytes, 10_000, 10_000_000_000),
    LONGVIEW_REPO_MAX_REQUESTS: intFrom(DEFAULT_REPOSITORY_LIMITS.maxRequests, 1, 100_000),
    // Files read one by one before the commit's archive is fetched instead (0: the archive at once; 20: decision 0005).
    LONGVIEW_REPO_ARCHIVE_AFTER_READS: intFrom(20, 0, 100_000),

    // Worker threads for analyzers and window planning (unset: one per core but one, 1 to 4; 0: on the event loop).
    LONGVIEW_COMPUTE_THREADS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(0).max(64).optional()),
    LONGVIEW_COMPUTE_TASK_TIMEOUT_MS: intFrom(600_000, 1_000, 3_600_000),

    // GitHub client policy.
    LONGVIEW_GITHUB_WRITE_INTERVAL_MS: intFrom(1_000, 0, 60_000),
    LONGVIEW_GITHUB_RATE_LIMIT_RETRIES: intFrom(3, 0, 10),
    LONGVIEW_GITHUB_MAX_RETRY_AFTER_S: intFrom(120, 1, 3_600),

    // Queue (Redis optional; without it jobs run in-process).
    REDIS_URL: optionalString,
    LONGVIEW_QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - or _")
      .default("longview"),
    LONGVIEW_QUEUE_CONCURRENCY: intFrom(4, 1, 256),
    LONGVIEW_INSTALLATION_CONCURRENCY: intFrom(2, 1, 256),
    LONGVIEW_MODEL_CONCURRENCY: intFrom(8, 1, 1024),
    LONGVIEW_JOB_ATTEMPTS: intFrom(3, 1, 20),
    LONGVIEW_JOB_BACKOFF_MS: intFrom(15_000, 10, 3_600_000),
    LONGVIEW_JOB_LOCK_MS: intFrom(30_000, 1_000, 600_000),
    LONGVIEW_STALLED_INTERVAL_MS: intFrom(30_000, 100, 600_000),
    LONGVIEW_JOB_MAX_STALLS: intFrom(2, 1, 100),
    LONGVIEW_SHUTDOWN_TIMEOUT_MS: intFrom(25_000, 0, 3_600_000),
    LONGVIEW_DEDUPE_TTL_SECONDS: intFrom(259_200, 60, 2_592_000),
    LONGVIEW_WORKER_PORT: intFrom(3001, 0, 65535),
    /** The in-process queue's journal (SQLite); `off` keeps jobs in memory only. Unused with REDIS_URL. */
    LONGVIEW_JOURNAL: z.string().min(1).default("data/longview-jobs.sqlite"),

    // Operations.
    LONGVIEW_MODEL_PRICES: optionalString.transform((text, ctx) => {
      if (text === undefined) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: 'must be JSON, e.g. {"my-model":{"input":1.25,"output":10}}' });
        return z.NEVER;
      }
      const table = ModelPriceTableSchema.safeParse(json);
      if (!table.success) {
        ctx.addIssue({ code: "custom", message: `USD per million tokens per model: ${z.prettifyError(table.error)}` });
        return z.NEVER;
      }
      return table.data;
    }),
  })
  .refine((env) => env.LONGVIEW_WEBHOOK_BUFFER_BYTES >= env.LONGVIEW_WEBHOOK_MAX_BYTES, {
    path: ["LONGVIEW_WEBHOOK_BUFFER_BYTES"],
    message: "must be at least LONGVIEW_WEBHOOK_MAX_BYTES, or a delivery of the largest size could never be read",
  })
  .transform((env, ctx) => {
    const profile = resolveModelProfile({
      profile: env.LONGVIEW_MODEL_PROFILE,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.LONGVIEW_MODEL,
      api: env.LONGVIEW_OPENAI_API,
      output: env.LONGVIEW_MODEL_OUTPUT,
      tools: env.LONGVIEW_MODEL_TOOLS,
      reasoning: env.LONGVIEW_MODEL_REASONING,
      contextTokens: env.LONGVIEW_CONTEXT_TOKENS,
      outputTokens: env.LONGVIEW_OUTPUT_TOKENS,
    });
    if (typeof profile === "string") {
      ctx.addIssue({ code: "custom", path: ["LONGVIEW_MODEL_PROFILE"], message: profile });
      return z.NEVER;
    }
    return {
      ...env,
      // Resolved here once: the planners read these two, the model client reads the profile.
      LONGVIEW_CONTEXT_TOKENS: profile.contextTokens,
      LONGVIEW_OUTPUT_TOKENS: profile.outputTokens,
      modelProfile: profile,
      /** A model is configured: a key, or a local profile that needs none. `eval --offline` turns it off. */
      modelEnabled: env.OPENAI_API_KEY !== undefined || !profile.keyRequired,
    };
  });

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  return result.data;
}

/** What one job may spend reading the repository beyond the changed files. */
export function repositoryLimits(env: Pick<Env, "LONGVIEW_REPO_MAX_FILE_BYTES" | "LONGVIEW_REPO_MAX_BYTES" | "LONGVIEW_REPO_MAX_REQUESTS">): RepositoryLimits {
  return { maxFileBytes: env.LONGVIEW_REPO_MAX_FILE_BYTES, maxTotalBytes: env.LONGVIEW_REPO_MAX_BYTES, maxRequests: env.LONGVIEW_REPO_MAX_REQUESTS };
}

/** True when a model is configured (OPENAI_API_KEY, or a local model profile); without one Longview runs its analyzers only. */
export function hasModel(env: Pick<Env, "modelEnabled">): boolean {
  return env.modelEnabled;
}
