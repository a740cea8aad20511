/**
 * The last line of defence against Longview sending its own secrets anywhere:
 * every string in a request to GitHub, and every model request body, is
 * searched for the values of OPENAI_API_KEY, WEBHOOK_SECRET and the App's
 * private key, which are replaced. Nothing Longview sends should ever contain
 * them, but an error message can (an OpenAI-compatible server that echoes the
 * `Authorization` header in its error body would otherwise have the key quoted
 * in a review notice or a check run), and so can model text sent back to a
 * model (the verification pass reads the reviewer's findings).
 */

export const SCRUBBED = "[REDACTED]";

/** Shorter values would match ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** The values to scrub: each secret whole, and each line of multi-line ones (a PEM key quoted in part). */
export function secretValues(secrets: readonly (string | undefined)[]): string[] {
  const values = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined) continue;
    for (const value of [secret.trim(), ...secret.split(/\r?\n|\\n/).map((l) => l.trim())]) {
      if (value.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(value)) values.add(value);
    }
  }
  // Longest first, so a whole key is replaced before its lines are looked for.
  return [...values].sort((a, b) => b.length - a.length);
}

/** A copy of `value` with every secret in every string replaced; `found` counts replacements. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): { value: T; found: number } {
  let found = 0;
  const scrubString = (text: string): string => {
    let out = text;
    for (const secret of secrets) {
      if (!out.includes(secret)) continue;
      const parts = out.split(secret);
      found += parts.length - 1;
      out = parts.join(SCRUBBED);
    }
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return scrubString(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const scrubbed = secrets.length === 0 ? value : (walk(value) as T);
  return { value: scrubbed, found };
}
