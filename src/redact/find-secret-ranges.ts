import { envValueRanges, isEnvFile } from "./env-file.js";
import { mergeRanges, type SecretRange } from "./secret-range.js";
import { scanWithSecretlint } from "./secretlint-scan.js";
import { tokenPatternRanges } from "./token-patterns.js";

/**
 * Every secret in a file's content that must not reach the model: what
 * secretlint finds (ignoring `secretlint-disable` comments), every value of a
 * `.env`-style file, private-key blocks and well-known token shapes.
 */
export async function findSecretRanges(path: string, content: string): Promise<SecretRange[]> {
  const fromSecretlint = await scanWithSecretlint(path, content, { honorDisableComments: false });
  return mergeRanges([
    ...fromSecretlint.map(({ start, end, kind }) => ({ start, end, kind })),
    ...(isEnvFile(path) ? envValueRanges(content) : []),
    ...tokenPatternRanges(content),
  ]);
}
