import { z } from "zod";

/**
 * Process environment → typed settings. Every variable Longview reads is here;
 * `.env.example` documents the same list. All problems are reported at once.
 */

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

export const EnvSchema = z.object({
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

  // Model.
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  LONGVIEW_MODEL: z.string().min(1).default("gpt-5.1-codex-max"),
  LONGVIEW_REASONING_EFFORT: z.enum(["none", "low", "medium", "high", "xhigh"]).default("medium"),
  LONGVIEW_OPENAI_API: z.enum(["responses", "chat"]).default("responses"),
  LONGVIEW_OPENAI_TIMEOUT_MS: intFrom(180_000, 1_000, 3_600_000),
  LONGVIEW_OPENAI_MAX_RETRIES: intFrom(2, 0, 10),

  // Limits.
  LONGVIEW_WINDOW_TOKENS: intFrom(24_000, 2_000, 1_000_000),
  LONGVIEW_OUTPUT_TOKENS: intFrom(8_000, 256, 200_000),
  LONGVIEW_CONTEXT_TOKENS: intFrom(272_000, 8_000, 2_000_000),
  LONGVIEW_WINDOW_CONCURRENCY: intFrom(4, 1, 64),
  LONGVIEW_FETCH_CONCURRENCY: intFrom(8, 1, 64),
  LONGVIEW_MAX_FILE_BYTES: intFrom(1_000_000, 1_000, 100_000_000),
  LONGVIEW_MAX_FILES: intFrom(3_000, 1, 100_000),

  // Queue (Redis optional; without it jobs run in-process).
  REDIS_URL: optionalString,
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
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return result.data;
}

/** True when a model is configured; without one Longview runs its analyzers only. */
export function hasModel(env: Pick<Env, "OPENAI_API_KEY">): boolean {
  return env.OPENAI_API_KEY !== undefined;
}
