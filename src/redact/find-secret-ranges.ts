import { envValueRanges, isEnvFile } from "./env-file.js";
import { privateKeyRanges } from "./private-key.js";
import { mergeRanges, type SecretRange } from "./secret-range.js";
import { scanWithSecretlint, type DetectedSecret } from "./secretlint-scan.js";
import { tokenPatternRanges } from "./token-patterns.js";

/**
 * Every secret in a file's content that must not reach the model: what
 * secretlint finds (ignoring `secretlint-disable` comments), every value of a
 * `.env`-style file, private-key blocks and well-known token shapes, plus the
 * ranges a caller already knows (credentials the analyzers flagged).
 */
export async function findSecretRanges(path: string, content: string, known: readonly SecretRange[] = []): Promise<SecretRange[]> {
  const fromSecretlint = await scanWithSecretlint(path, content, { honorDisableComments: false });
  return mergeRanges([
    ...fromSecretlint.flatMap((secret) => secretCharacters(content, secret)),
    ...(isEnvFile(path) ? envValueRanges(content) : []),
    ...tokenPatternRanges(content),
    ...known,
  ]);
}

/** secretlint rules whose range is a whole URL or connection string: only its password is secret. */
const URL_RULES: ReadonlySet<string> = new Set(["BasicAuth", "MongoDBConnection", "MySQLConnection", "PostgreSQLConnection"]);

/**
 * The characters of a secretlint finding that are the secret itself. Its
 * connection-string rules report the URL up to the next space, which in code
 * takes the closing quote and comma with it (`…/db",`), and its private-key
 * rule reports the whole block with its BEGIN/END lines.
 */
function secretCharacters(content: string, secret: DetectedSecret): SecretRange[] {
  const { start, end } = secret;
  if (URL_RULES.has(secret.messageId)) {
    const password = urlPassword(content.slice(start, end));
    // Unparsable as user:password (not expected from these rules): the whole reported range, to be safe.
    return [password ? { start: start + password.start, end: start + password.end, kind: "url-password" } : { start, end, kind: secret.kind }];
  }
  if (secret.messageId === "PrivateKey") {
    const runs = privateKeyRanges(content.slice(start, end)).map((run) => ({ ...run, start: start + run.start, end: start + run.end }));
    return runs.length > 0 ? runs : [{ start, end, kind: secret.kind }];
  }
  return [{ start, end, kind: secret.kind }];
}

/** [start, end) of the password in `scheme://user:password@host…`, or null. */
function urlPassword(url: string): { start: number; end: number } | null {
  const match = /^[A-Za-z0-9+.:-]*:\/\/[^:/@\s]*:([^@/\s]+)@/d.exec(url);
  const at = match?.indices?.[1];
  return at ? { start: at[0], end: at[1] } : null;
}
