import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { extractReviewGuidelines } from "../reviewer/index.js";
import { DEFAULT_REPO_CONFIG, REPO_CONFIG_PATH, parseRepoConfig, type RepoConfig } from "../config/repo-config.js";
import { describeFileError, errorMessage, systemErrorCode, UsageError } from "./io.js";

/**
 * The repository's rules for a local review: `.github/longview.yml` (or
 * `--config FILE`) and the "Review guidelines" of `AGENTS.md`. As in the app,
 * a broken config file never stops the review: its problems are reported and
 * defaults apply. Only an explicitly named file that cannot be read is an error.
 */

export interface RepoSettings {
  readonly config: RepoConfig;
  readonly problems: readonly string[];
  /** The config file used, or null for defaults. */
  readonly configPath: string | null;
  /** AGENTS.md "Review guidelines" and `review.instructions`, combined as the app combines them. */
  readonly guidelines: string;
}

export async function loadRepoSettings(repoRoot: string | null, configOption: string | undefined, cwd: string): Promise<RepoSettings> {
  const configPath = configOption !== undefined ? resolve(cwd, configOption) : repoRoot !== null ? join(repoRoot, REPO_CONFIG_PATH) : null;
  const configText = configPath === null ? null : await readOptional(configPath, configOption !== undefined, "--config");
  const { config, problems } = configText === null ? { config: DEFAULT_REPO_CONFIG, problems: [] } : parseConfigText(configText);

  const agentsMd = repoRoot === null ? null : await readOptional(join(repoRoot, "AGENTS.md"), false, "AGENTS.md");
  const guidelines = [extractReviewGuidelines(agentsMd ?? ""), config.review.instructions].filter(Boolean).join("\n\n");
  return { config, problems, configPath: configText === null ? null : configPath, guidelines };
}

export function parseConfigText(text: string): { config: RepoConfig; problems: readonly string[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const message = errorMessage(error);
    return { config: DEFAULT_REPO_CONFIG, problems: [`${REPO_CONFIG_PATH} is not valid YAML: ${message}. Using defaults.`] };
  }
  return parseRepoConfig(raw);
}

async function readOptional(path: string, required: boolean, what: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (required) throw new UsageError(`${what}: cannot read ${path}: ${describeFileError(error)}`, { cause: error });
    const code = systemErrorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}
