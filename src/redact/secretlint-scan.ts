import { lintSource } from "@secretlint/core";
import { secretLintProfiler } from "@secretlint/profiler";
import { creator as recommendedPreset } from "@secretlint/secretlint-rule-preset-recommend";
import type { SecretRange } from "./secret-range.js";

// Types come from the engine's own signature: `@secretlint/types` is not a direct dependency.
type SecretLintCoreConfig = Parameters<typeof lintSource>[0]["options"]["config"];
type SecretLintCoreResultMessage = Awaited<ReturnType<typeof lintSource>>["messages"][number];

/**
 * secretlint's recommended preset, configured in code (a `.secretlintrc` in
 * the reviewed repository is never read) and run through `@secretlint/core`,
 * the engine `@secretlint/node` wraps, because it returns each secret's
 * position instead of formatted text.
 */
export interface DetectedSecret extends SecretRange {
  /** secretlint rule, e.g. `@secretlint/secretlint-rule-github`. */
  readonly ruleId: string;
  /** secretlint message id, e.g. `GITHUB_TOKEN`. */
  readonly messageId: string;
  /** What the secret is, for people: "GitHub token". */
  readonly label: string;
  /** The secret itself. Never put it in logs or findings; mask it. */
  readonly value: string;
}

export interface SecretlintScanOptions {
  /**
   * Honor `secretlint-disable` comments in the scanned file. True for
   * findings (an author's deliberate exception); false for redaction, where
   * a comment in untrusted code must not let a secret through to the model.
   */
  readonly honorDisableComments: boolean;
}

const PRESET_ID = "@secretlint/secretlint-rule-preset-recommend";

/*
 * secretlint's built-in profiler (a process-wide singleton, pinned to the
 * version `@secretlint/core` uses) puts ~36 performance marks per scanned file
 * into Node's global timeline and never clears them — unbounded growth in a
 * long-running server — and measures them in a detached promise whose
 * mark-name regex stops at a line break: a file named "a\nb.js" rejected that
 * promise and ended the process. Longview never reads the profile, so the
 * profiler records nothing.
 */
secretLintProfiler.mark = () => undefined;

/**
 * The path secretlint sees. Only its name matters to the rules (`.npmrc`,
 * `package.json`, `*.p12` …); control characters and line terminators, which
 * a pull request can put in a file name, are replaced.
 */
export function secretlintPath(path: string): string {
  return `/${path.replace(/^\/+/, "").replace(/[\p{Cc}\u0085\u2028\u2029]/gu, "_")}`;
}

function config(honorDisableComments: boolean): SecretLintCoreConfig {
  return {
    rules: [
      {
        id: PRESET_ID,
        rule: recommendedPreset,
        rules: honorDisableComments ? [] : [{ id: "@secretlint/secretlint-rule-filter-comments", disabled: true }],
      },
    ],
  };
}

const CONFIGS = { honor: config(true), ignore: config(false) };

/** Data fields that carry the detected value, by rule. */
const VALUE_FIELDS = ["KEY", "TOKEN", "ID", "CREDENTIAL", "URI", "URL"] as const;

const LABELS: Readonly<Record<string, string>> = {
  AWSSecretAccessKey: "AWS secret access key",
  AWSAccessKeyID: "AWS access key ID",
  AWSAccountID: "AWS account ID",
  GITHUB_TOKEN: "GitHub token",
  SLACK_TOKEN: "Slack token",
  IncomingWebhook: "Slack incoming-webhook URL",
  PrivateKey: "private key",
  PrivateKeyP12: "PKCS#12 private key file",
  PrivateKeyJSON: "GCP service-account key file",
  OPENAI_TOKEN: "OpenAI API key",
  ANTHROPIC_API_KEY: "Anthropic API key",
  LINEAR_API_TOKEN: "Linear API key",
  SENDGRID_KEY: "SendGrid API key",
  SHOPIFY_KEY: "Shopify token",
  OPS_TOKEN: "1Password service-account token",
  NPM_ACCESS_TOKEN: "npm access token",
  Npmrc_authToken: "npm auth token",
  PackageJSON_xOauthToken: "GitHub OAuth token in a package URL",
  BasicAuth: "password in a URL (basic auth)",
  MongoDBConnection: "MongoDB connection string with password",
  MySQLConnection: "MySQL connection string with password",
  PostgreSQLConnection: "PostgreSQL connection string with password",
};

export async function scanWithSecretlint(path: string, content: string, options: SecretlintScanOptions): Promise<DetectedSecret[]> {
  const result = await lintSource({
    source: { content, filePath: secretlintPath(path), contentType: "text" },
    // Values stay unmasked in memory because the ranges are recovered from them; messages are never logged.
    options: { config: options.honorDisableComments ? CONFIGS.honor : CONFIGS.ignore, maskSecrets: false, noPhysicFilePath: true },
  });
  return result.messages.flatMap((message) => {
    const detected = toDetected(message, content);
    return detected ? [detected] : [];
  });
}

function toDetected(message: SecretLintCoreResultMessage, content: string): DetectedSecret | null {
  const [start, end] = locate(message, content);
  if (end <= start) return null;
  const data = (message.data ?? {}) as Record<string, unknown>;
  const typeName = typeof data["typeName"] === "string" ? ` (${data["typeName"]})` : "";
  return {
    start,
    end,
    kind: kebabCase(message.messageId),
    ruleId: message.ruleId,
    messageId: message.messageId,
    label: `${LABELS[message.messageId] ?? kebabCase(message.messageId).replace(/-/g, " ")}${typeName}`,
    value: content.slice(start, end),
  };
}

/**
 * Some rules report a range that starts at the whole match (`aws_secret_access_key = …`)
 * but has the secret's length; the reported value is searched near it instead.
 */
function locate(message: SecretLintCoreResultMessage, content: string): [number, number] {
  const data = (message.data ?? {}) as Record<string, unknown>;
  const [rangeStart, rangeEnd] = message.range;
  for (const field of VALUE_FIELDS) {
    const value = data[field];
    if (typeof value !== "string" || value === "") continue;
    if (content.startsWith(value, rangeStart)) return [rangeStart, rangeStart + value.length];
    const from = Math.max(0, rangeStart - value.length);
    const found = content.indexOf(value, from);
    if (found !== -1 && found <= rangeEnd + 512) return [found, found + value.length];
  }
  return [rangeStart, rangeEnd];
}

/** `AWSSecretAccessKey` → `aws-secret-access-key`, `GITHUB_TOKEN` → `github-token`. */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}
