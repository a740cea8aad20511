import { describe, expect, test } from "@jest/globals";
import { ConfigError, loadEnv, repositoryLimits } from "../../../src/config/env.js";
import { DEFAULT_REPOSITORY_LIMITS } from "../../../src/domain/repository.js";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../../src/config/repo-config.js";

describe("loadEnv", () => {
  test("embedded defaults need no variable at all", () => {
    const env = loadEnv({});
    expect(env.LONGVIEW_MODEL).toBe("gpt-5.1-codex-max");
    expect(env.LONGVIEW_WINDOW_TOKENS).toBe(24_000);
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  test("empty strings count as unset", () => {
    expect(loadEnv({ OPENAI_API_KEY: " " }).OPENAI_API_KEY).toBeUndefined();
  });

  test("every bad variable is listed in one error", () => {
    let error: unknown;
    try {
      loadEnv({ PORT: "eighty", LONGVIEW_REASONING_EFFORT: "max", OPENAI_BASE_URL: "not a url" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/LONGVIEW_REASONING_EFFORT/);
    expect(problems).toMatch(/OPENAI_BASE_URL/);
  });

  test("webhook intake: GitHub's 25 MB payload cap by default; a memory budget smaller than one body is refused", () => {
    const env = loadEnv({});
    expect([
      env.LONGVIEW_WEBHOOK_MAX_BYTES,
      env.LONGVIEW_WEBHOOK_READ_TIMEOUT_MS,
      env.LONGVIEW_WEBHOOK_IDLE_TIMEOUT_MS,
      env.LONGVIEW_WEBHOOK_BUFFER_BYTES,
    ]).toEqual([25 * 1024 * 1024, 10_000, 5_000, 100 * 1024 * 1024]);
    expect(() => loadEnv({ LONGVIEW_WEBHOOK_MAX_BYTES: "2000000", LONGVIEW_WEBHOOK_BUFFER_BYTES: "1000000" })).toThrow(
      /LONGVIEW_WEBHOOK_BUFFER_BYTES: must be at least LONGVIEW_WEBHOOK_MAX_BYTES/,
    );
  });
});

describe("repository access limits", () => {
  test("default to the domain's limits and are read from LONGVIEW_REPO_*", () => {
    expect(repositoryLimits(loadEnv({}))).toEqual(DEFAULT_REPOSITORY_LIMITS);
    const env = loadEnv({
      LONGVIEW_REPO_MAX_FILE_BYTES: "2000",
      LONGVIEW_REPO_MAX_BYTES: "50000",
      LONGVIEW_REPO_MAX_REQUESTS: "7",
      LONGVIEW_REPO_ARCHIVE_AFTER_READS: "0",
    });
    expect(repositoryLimits(env)).toEqual({ maxFileBytes: 2_000, maxTotalBytes: 50_000, maxRequests: 7 });
    expect(env.LONGVIEW_REPO_ARCHIVE_AFTER_READS).toBe(0);
  });

  test("a request budget of zero or a negative size is refused", () => {
    expect(() => loadEnv({ LONGVIEW_REPO_MAX_REQUESTS: "0" })).toThrow(/LONGVIEW_REPO_MAX_REQUESTS/);
    expect(() => loadEnv({ LONGVIEW_REPO_MAX_FILE_BYTES: "-1" })).toThrow(/LONGVIEW_REPO_MAX_FILE_BYTES/);
  });
});

describe("survey and synthesis switches", () => {
  test("both passes are on unless the environment switches them off; the survey model defaults to the main model", () => {
    const on = loadEnv({});
    expect([on.LONGVIEW_SURVEY, on.LONGVIEW_SYNTHESIS, on.LONGVIEW_SURVEY_MODEL]).toEqual(["on", "on", undefined]);
    const off = loadEnv({ LONGVIEW_SURVEY: "off", LONGVIEW_SYNTHESIS: "off", LONGVIEW_SURVEY_MODEL: "gpt-5-mini" });
    expect([off.LONGVIEW_SURVEY, off.LONGVIEW_SYNTHESIS, off.LONGVIEW_SURVEY_MODEL]).toEqual(["off", "off", "gpt-5-mini"]);
    expect(() => loadEnv({ LONGVIEW_SURVEY: "maybe" })).toThrow(/LONGVIEW_SURVEY/);
  });
});

describe("parseRepoConfig", () => {
  test("fix.ciTimeout takes seconds or a duration; the CI loop's settings have defaults and bounds", () => {
    expect(DEFAULT_REPO_CONFIG.fix).toMatchObject({ followCi: true, ciRounds: 2, ciTimeout: 1_800 });
    expect(parseRepoConfig({ fix: { ciTimeout: "90s", ciRounds: 0 } }).config.fix).toMatchObject({ ciTimeout: 90, ciRounds: 0 });
    expect(parseRepoConfig({ fix: { ciTimeout: "2h" } }).config.fix.ciTimeout).toBe(7_200);
    expect(parseRepoConfig({ fix: { ciTimeout: 600 } }).config.fix.ciTimeout).toBe(600);
    for (const bad of ["soon", "5s", "2d", 0, 100_000]) {
      const loaded = parseRepoConfig({ fix: { ciTimeout: bad } });
      expect(loaded.config.fix.ciTimeout).toBe(1_800);
      expect(loaded.problems.join("\n")).toMatch(/fix/);
    }
  });

  test("absent file → defaults, no problems", () => {
    expect(parseRepoConfig(null)).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [] });
  });

  test("valid settings are applied, section defaults filled in", () => {
    const { config, problems } = parseRepoConfig({ drafts: "review", review: { maxInlineComments: 5, synthesis: false } });
    expect(problems).toEqual([]);
    expect(config.drafts).toBe("review");
    expect(config.review).toEqual({ minSeverity: "P3", maxInlineComments: 5, instructions: "", survey: true, synthesis: false, suppress: [], summary: "full" });
  });

  test("review.summary: full, brief or off; true and false stand for full and off; anything else falls back and says so", () => {
    expect(DEFAULT_REPO_CONFIG.review.summary).toBe("full");
    expect(parseRepoConfig({ review: { summary: "brief" } }).config.review.summary).toBe("brief");
    expect(parseRepoConfig({ review: { summary: false } }).config.review.summary).toBe("off");
    expect(parseRepoConfig({ review: { summary: true } }).config.review.summary).toBe("full");
    const invalid = parseRepoConfig({ review: { summary: "verbose", minSeverity: "P1" } });
    expect(invalid.config.review).toEqual(DEFAULT_REPO_CONFIG.review);
    expect(invalid.problems).toEqual([expect.stringMatching(/`review\.summary`/)]);
  });

  test("an invalid section falls back to its defaults and says exactly what is wrong", () => {
    const { config, problems } = parseRepoConfig({ review: { maxInlineComments: "lots" }, gate: { severity: "P1" }, bogus: 1 });
    expect(config.review).toEqual(DEFAULT_REPO_CONFIG.review);
    expect(config.gate.severity).toBe("P1");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/`review\.maxInlineComments`/);
    expect(problems[1]).toMatch(/unknown setting `bogus`/);
  });

  test("gate.onIncomplete: incomplete reviews fail by default; an invalid value falls back to the default and says so", () => {
    expect(DEFAULT_REPO_CONFIG.gate).toMatchObject({ onIncomplete: "failure", maxUnreviewedLines: 0 });
    expect(parseRepoConfig({ gate: { onIncomplete: "neutral", maxUnreviewedLines: 500 } }).config.gate).toMatchObject({
      onIncomplete: "neutral",
      maxUnreviewedLines: 500,
    });
    const { config, problems } = parseRepoConfig({ gate: { onIncomplete: "ignore", severity: "P0" } });
    expect(config.gate).toEqual(DEFAULT_REPO_CONFIG.gate);
    expect(problems).toEqual([expect.stringMatching(/`gate\.onIncomplete`: .*"failure"\|"neutral"\|"success".*using the default for `gate`/)]);
    expect(parseRepoConfig({ gate: { maxUnreviewedLines: -1 } }).problems).toEqual([expect.stringMatching(/`gate\.maxUnreviewedLines`/)]);
  });

  test("a non-mapping file is reported", () => {
    const { config, problems } = parseRepoConfig("enabled");
    expect(config).toEqual(DEFAULT_REPO_CONFIG);
    expect(problems[0]).toMatch(/expected a mapping/);
  });
});
