import { privateKeyRanges } from "./private-key.js";
import type { SecretRange } from "./secret-range.js";

/**
 * Well-known credential shapes, on top of what secretlint reports (it skips
 * documented example keys, short PEM bodies and AWS key ids, and has no rule
 * for most providers). Each shape is anchored on a provider's distinctive
 * prefix or format, so ordinary code never matches; the few formats without
 * one (Twilio auth tokens, Heroku's old UUID keys) need the provider's name
 * nearby. Checked against ~3.9 million lines of third-party JavaScript and
 * TypeScript (scripts/redaction-false-positives.ts).
 *
 * A range covers the secret's own characters only, never a quote, comma or
 * bracket around it, so the redacted code keeps its syntax.
 */
interface TokenPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Capture group holding the secret; 0 for the whole match. */
  readonly group: number;
  /** A further check of the captured value, for shapes a regular expression cannot pin down. */
  readonly accept?: (value: string) => boolean;
  /** For formats without a prefix: a name that must occur shortly before the match. */
  readonly near?: RegExp;
}

/** How far before a match `near` is looked for: the same statement or config block. */
const NEAR_CHARS = 120;

/** Characters that end a value inside a URL, a string literal or a config line. */
const URL_STOP = "\\s/?#@\"'`<>\\\\";

const PATTERNS: readonly TokenPattern[] = [
  { kind: "age-secret-key", pattern: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g, group: 0 },
  { kind: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, group: 0 },
  { kind: "github-token", pattern: /\bgithub_pat_[A-Za-z0-9_]{30,255}\b/g, group: 0 },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, group: 0 },
  {
    kind: "aws-secret-access-key",
    pattern: /(?:aws)?_?secret_?access_?key["']?\s*(?::|=>|=)\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  { kind: "slack-token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g, group: 0 },
  { kind: "slack-token", pattern: /\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+/gi, group: 0 },
  // The URL's path is the credential; the host stays readable.
  { kind: "slack-webhook", pattern: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/]{20,})/g, group: 1 },
  // Legacy `sk-` + 48 characters and project/service keys (`sk-proj-…`); at least one digit keeps kebab-case words out.
  { kind: "openai-api-key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{32,}/g, group: 0 },
  // Secret and restricted keys, live and test (publishable `pk_` keys are public by design).
  { kind: "stripe-secret-key", pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{20,247}\b/g, group: 0 },
  { kind: "stripe-webhook-secret", pattern: /\bwhsec_[A-Za-z0-9+/]{24,}={0,2}/g, group: 0 },
  { kind: "google-api-key", pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, group: 0 },
  { kind: "google-oauth-client-secret", pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g, group: 0 },
  { kind: "npm-access-token", pattern: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, group: 0 },
  // PyPI and TestPyPI API tokens are macaroons whose base64 starts with the same bytes.
  { kind: "pypi-token", pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g, group: 0 },
  // Personal, deploy, runner, pipeline-trigger, CI-job, incoming-mail, SCIM, feature-flag, agent, OAuth-app and feed tokens.
  {
    kind: "gitlab-token",
    pattern: /\bgl(?:pat|dt|rt|ptt|cbt|imt|soat|ffct|agent|oas|ft)-[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*/g,
    group: 0,
  },
  { kind: "gitlab-token", pattern: /\bGR1348941[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/g, group: 0 },
  { kind: "twilio-api-key", pattern: /\bSK[0-9a-f]{32}\b/g, group: 0 },
  // Account SIDs and auth tokens are bare hex: only with "twilio" shortly before them.
  { kind: "twilio-credential", pattern: /\b(?:AC)?[0-9a-f]{32}\b/g, group: 0, near: /twilio/i },
  { kind: "sendgrid-api-key", pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, group: 0 },
  // Legacy keys (`key-` + 32 base-36 characters) and current ones (hex groups, only near the name).
  { kind: "mailgun-api-key", pattern: /\b(?:key|pubkey)-(?=[a-z]*\d)[0-9a-z]{32}\b/g, group: 0 },
  { kind: "mailgun-api-key", pattern: /\b[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}\b/g, group: 0, near: /mailgun/i },
  { kind: "square-token", pattern: /\bsq0(?:atp-[A-Za-z0-9_-]{22}|csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g, group: 0 },
  // Square's current access tokens; the boundaries keep the prefix from matching inside base64 data.
  { kind: "square-token", pattern: /EAAA(?<=(?<![A-Za-z0-9+/=_-])EAAA)[A-Za-z0-9_-]{60}(?![A-Za-z0-9+/=_-])/g, group: 0 },
  { kind: "shopify-token", pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g, group: 0 },
  { kind: "digitalocean-token", pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/g, group: 0 },
  // User and organisation tokens: 34 letters of mixed case.
  { kind: "huggingface-token", pattern: /\b(?:hf_|api_org_)(?=[a-z]*[A-Z])(?=[A-Z]*[a-z])[A-Za-z]{34}\b/g, group: 0 },
  { kind: "databricks-token", pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g, group: 0 },
  // Storage account keys (88 base64 characters) and Service Bus / Event Hubs shared access keys in connection strings.
  { kind: "azure-key", pattern: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,100}={0,2})/g, group: 1 },
  // Header and payload are base64url JSON (`{"` → `eyJ`); an unsigned token ends with its dot.
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.(?:[A-Za-z0-9_-]{10,})?/g, group: 0 },
  // user id (base64 of a snowflake) . timestamp . HMAC
  {
    kind: "discord-bot-token",
    pattern: /\b[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b/g,
    group: 0,
    accept: (token) => /^\d{17,20}$/.test(Buffer.from(token.slice(0, token.indexOf(".")), "base64url").toString("latin1")),
  },
  // `<bot id>:<secret>`: the id is public, the part after the colon is the credential.
  { kind: "telegram-bot-token", pattern: /:(?<=\b\d{8,10}:)(AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/g, group: 1 },
  { kind: "heroku-api-key", pattern: /\bHRKU-[A-Za-z0-9_-]{60}(?![A-Za-z0-9_-])/g, group: 0 },
  { kind: "heroku-api-key", pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, group: 0, near: /heroku/i },
  // The password of `scheme://user:password@host`; user, host and the rest of the URL stay readable.
  {
    kind: "url-password",
    // Starts at `://` (the scheme is checked behind it): scanning from every word start was 15× slower.
    pattern: new RegExp(`://(?<=\\b[A-Za-z][A-Za-z0-9+.-]{1,30}://)[^${URL_STOP}:]{0,100}:([^${URL_STOP}]{1,200})@(?=[^${URL_STOP}])`, "g"),
    group: 1,
    accept: (password) => !isInterpolation(password),
  },
  // `…;Password=…;` (ADO.NET, ODBC) and `?password=…` (JDBC) in connection strings.
  {
    kind: "url-password",
    // Starts at `=` (the name is checked behind it), as a case-insensitive name first is 6× slower.
    pattern: /=(?<=[?&;"'`][ \t]*(?:password|passwd|pwd)=)([^&;\s"'`#<>()]{1,200})/gi,
    group: 1,
    accept: (password) => !isInterpolation(password),
  },
];

/** `${x}`, `{{x}}`, `{x}`, `%(x)s`, `%s`, `$X`, `<x>`: code that fills a value in, not a value. */
function isInterpolation(value: string): boolean {
  return /\$\{|\{\{|^\{[^}]*\}$|^%(?:\([^)]*\))?[sd]$|^\$[A-Za-z_]\w*$|^<[^>]*>$/.test(value);
}

/** Every pattern with the `d` flag, for the captured group's exact position. */
const COMPILED = PATTERNS.map((p) => ({ ...p, pattern: new RegExp(p.pattern.source, `${p.pattern.flags}d`) }));

export function tokenPatternRanges(text: string): SecretRange[] {
  const ranges: SecretRange[] = privateKeyRanges(text);
  for (const { kind, pattern, group, accept, near } of COMPILED) {
    // Formats without a prefix match often (hex ids, UUIDs); most texts never name the provider at all.
    if (near && !near.test(text)) continue;
    for (const match of text.matchAll(pattern)) {
      const at = match.indices?.[group];
      if (at === undefined || at[1] <= at[0]) continue;
      const [start, end] = at;
      if (accept && !accept(text.slice(start, end))) continue;
      if (near && !near.test(text.slice(Math.max(0, match.index - NEAR_CHARS), match.index))) continue;
      ranges.push({ start, end, kind });
    }
  }
  return ranges;
}
