import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { loadRepoSettings, parseConfigText } from "../../../src/cli/repo-settings.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "longview-settings-"));
  await mkdir(join(root, ".github"));
  await writeFile(join(root, ".github/longview.yml"), "review:\n  minSeverity: P2\n  instructions: Prefer early returns.\ngate:\n  severity: P9\nbogus: 1\n");
  await writeFile(join(root, "AGENTS.md"), "# Agents\n\nBuild with npm.\n\n## Review guidelines\n\nFlag any use of `any`.\n\n## Other\n\nIgnore me.\n");
  await writeFile(join(root, "other.yml"), "analyzers:\n  enabled: false\n");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loadRepoSettings", () => {
  test("reads .github/longview.yml and AGENTS.md of the repository; bad sections fall back with problems", async () => {
    const s = await loadRepoSettings(root, undefined, "/");
    expect(s.configPath).toBe(join(root, ".github/longview.yml"));
    expect(s.config.review.minSeverity).toBe("P2");
    expect(s.config.gate).toEqual(DEFAULT_REPO_CONFIG.gate);
    expect(s.problems).toHaveLength(2);
    expect(s.problems.join("\n")).toMatch(/gate\.severity/);
    expect(s.problems.join("\n")).toMatch(/unknown setting `bogus`/);
    expect(s.guidelines).toBe("Flag any use of `any`.\n\nPrefer early returns.");
  });

  test("--config replaces the repository's file, relative to the working directory", async () => {
    const s = await loadRepoSettings(root, "other.yml", root);
    expect(s.config.analyzers.enabled).toBe(false);
    expect(s.problems).toEqual([]);
    expect(s.guidelines).toBe("Flag any use of `any`.");
  });

  test("no repository: defaults and no guidelines", async () => {
    expect(await loadRepoSettings(null, undefined, "/")).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [], configPath: null, guidelines: "" });
  });

  test("an unreadable --config is a usage error", async () => {
    await expect(loadRepoSettings(root, "missing.yml", root)).rejects.toThrow(`--config: cannot read ${join(root, "missing.yml")}: no such file or directory`);
  });

  test("invalid YAML is a problem, not a failure", () => {
    const { config, problems } = parseConfigText("review: [unclosed\n");
    expect(config).toEqual(DEFAULT_REPO_CONFIG);
    expect(problems[0]).toMatch(/^\.github\/longview\.yml is not valid YAML: .+\. Using defaults\.$/);
  });
});
