import type { Logger } from "pino";
import type { Finding } from "../domain/finding.js";
import { maskSecret } from "../redact/mask-secret.js";
import { scanWithSecretlint, type DetectedSecret } from "../redact/secretlint-scan.js";
import { analyzableFiles } from "./analyzable-files.js";
import type { Analyzer, AnalyzerInput, AnalyzerReport } from "./analyzer.js";
import { lineIndex } from "./line-index.js";
import { mapConcurrent } from "../util/map-concurrent.js";

export interface SecretlintAnalyzerOptions {
  /** Used when the input carries no logger of its own. */
  readonly log: Logger;
  readonly concurrency?: number;
}

/** secretlint's recommended rules on every changed text file; each secret is a P0 security finding with its value masked. */
export function createSecretlintAnalyzer(options: SecretlintAnalyzerOptions): Analyzer {
  const concurrency = options.concurrency ?? 4;
  return {
    name: "secretlint",
    async analyze(input: AnalyzerInput, signal?: AbortSignal): Promise<AnalyzerReport> {
      const log = input.log ?? options.log;
      const { files, skipped } = analyzableFiles(input, () => true);
      for (const skip of skipped) log.info({ path: skip.path, reason: skip.reason }, "secretlint: file not analyzed");
      const perFile = await mapConcurrent(
        files,
        concurrency,
        async (file) => {
          try {
            const secrets = await scanWithSecretlint(file.path, file.content, { honorDisableComments: true });
            const lineOf = lineIndex(file.content);
            return secrets.map((secret) => secretFinding(file.path, secret, lineOf));
          } catch (error) {
            log.error({ path: file.path, err: error }, "secretlint: scan failed; file skipped");
            return [];
          }
        },
        signal,
      );
      // No `secrets`: redaction runs the same engine itself, with `secretlint-disable` comments ignored (a superset).
      return { findings: perFile.flat() };
    },
  };
}

function secretFinding(path: string, secret: DetectedSecret, lineOf: (offset: number) => number): Finding {
  const first = lineOf(secret.start);
  const last = lineOf(Math.max(secret.start, secret.end - 1));
  const shown = secret.kind.startsWith("private-key") ? "" : ` (\`${maskSecret(secret.value).replace(/`/g, "")}\`)`;
  return {
    path,
    line: last,
    startLine: last > first ? first : null,
    side: "RIGHT",
    severity: "P0",
    category: "security",
    title: `Secret committed: ${secret.label}`,
    body:
      `This change adds a ${secret.label}${shown} to the repository. Anyone who can read the repository, its forks or its history can use it.\n\n` +
      "Revoke or rotate it now: deleting it in a later commit does not remove it from git history. Then load it at run time from an environment variable or a secret manager.\n\n" +
      `<sub>Rule: \`${secret.ruleId}\` (${secret.messageId})</sub>`,
    suggestion: null,
    confidence: 1,
    source: "secretlint",
    ruleId: secret.ruleId,
    corroboratedBy: [],
  };
}
