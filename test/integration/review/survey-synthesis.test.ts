import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { loadEnv } from "../../../src/config/env.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../../../src/config/repo-config.js";
import type { MemoryNote } from "../../../src/domain/window.js";
import { formatCredit } from "../../../src/github/finding-comment.js";
import { formatReviewBody } from "../../../src/review/format-review-body.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import { silentLog } from "../../helpers/github.js";
import { reviewerFrom } from "../../helpers/model.js";
import { modulesChangeSet, reviewModules } from "../../helpers/modules-review.js";
import { responsesReply } from "../../helpers/openai.js";
import type { Reviewer } from "../../../src/reviewer/index.js";
import { VERIFICATION_FORMAT, confirmAll } from "../../helpers/verifier.js";

/**
 * The survey before the windows and the synthesis after them, through the
 * real pipeline and the real openai SDK, the Responses API mocked with nock:
 * requests are told apart by their structured-output format, windows by
 * their id, and every body is recorded.
 */

const API = "https://api.openai.com";
const SECRET = "AKIAAF4FJTRS6Y6X4TTI";
const PATHS = ["src/a/alpha.ts", "src/b/beta.ts", "src/c/gamma.ts"] as const;

afterEach(() => nock.cleanAll());

const changeSet = modulesChangeSet(PATHS, 220, (i) => (i === 3 ? `const awsKey = "${SECRET}";` : undefined));

type Body = { text?: { format?: { name?: string } }; input?: unknown; instructions?: string };
const formatOf = (body: Body) => body.text?.format?.name;
const windowOf = (body: Body) => /Review window (w\d+)/.exec(JSON.stringify(body.input))?.[1] ?? null;

interface Recorded {
  readonly survey: string[];
  readonly windows: Map<string, string>;
  readonly synthesis: string[];
  readonly verification: string[];
}

const SURVEY_ANSWER = {
  files: [
    { path: "src/a/alpha.ts", summary: "alpha now exports values computed eagerly by SURVEY-MARK" },
    { path: "src/b/beta.ts", summary: "beta adds values <img src=x onerror=alert(1)> @octocat" },
    { path: "not/in/batch.ts", summary: "dropped" },
  ],
  api_changes: [{ path: "src/a/alpha.ts", symbol: "compute", change: "now takes the path as second argument" }],
  risks: [],
};

const CROSS = {
  path: "src/b/beta.ts",
  line: 10,
  start_line: null,
  side: "RIGHT",
  quote: 'export const value9 = compute(9, "src/b/beta.ts");',
  severity: "P1",
  category: "bug",
  title: "beta still calls compute with the old arguments",
  body: "alpha changed compute's signature (window w1); beta's calls were not updated.",
  confidence: 0.8,
};

function noteOf(windowId: string) {
  return windowId === "w1"
    ? { kind: "suspicion", path: "src/a/alpha.ts", text: "SUSPECT-w1: callers of compute elsewhere may pass the old arguments" }
    : { kind: "invariant", path: null, text: `NOTE-${windowId}: values are pure` };
}

/** Mocks the three kinds of request; `fail` answers that kind with HTTP 500. */
function mockModel(fail: { survey?: boolean; synthesis?: boolean } = {}): Recorded {
  const recorded: Recorded = { survey: [], windows: new Map(), synthesis: [], verification: [] };
  nock(API)
    .persist()
    .post("/v1/responses", (b: Body) => formatOf(b) === VERIFICATION_FORMAT && (recorded.verification.push(JSON.stringify(b)), true))
    // The body was just recorded by the matcher: the candidates it names are confirmed.
    .reply(200, () => responsesReply(JSON.stringify(confirmAll(recorded.verification.at(-1) ?? ""))));
  nock(API)
    .persist()
    .post("/v1/responses", (b: Body) => formatOf(b) === "longview_survey" && (recorded.survey.push(JSON.stringify(b)), true))
    .reply(fail.survey ? 500 : 200, fail.survey ? { error: { message: "survey backend down" } } : responsesReply(JSON.stringify(SURVEY_ANSWER)));
  nock(API)
    .persist()
    .post("/v1/responses", (b: Body) => formatOf(b) === "longview_synthesis" && (recorded.synthesis.push(JSON.stringify(b)), true))
    .reply(
      fail.synthesis ? 500 : 200,
      fail.synthesis ? { error: { message: "synthesis backend down" } } : responsesReply(JSON.stringify({ findings: [CROSS] })),
    );
  for (const id of ["w1", "w2", "w3", "w4", "w5", "w6"]) {
    nock(API)
      .persist()
      .post("/v1/responses", (b: Body) => formatOf(b) === "longview_review" && windowOf(b) === id && (recorded.windows.set(id, JSON.stringify(b)), true))
      .reply(200, responsesReply(JSON.stringify({ findings: [], notes: [noteOf(id)] })));
  }
  return recorded;
}

async function review(options: { config?: RepoConfig; deterministicNotes?: MemoryNote[] } = {}): Promise<ReviewResult> {
  const env = loadEnv({ OPENAI_API_KEY: "sk-test", LONGVIEW_OPENAI_MAX_RETRIES: "0" });
  // At least as many slots as windows: every window starts at once, before any note exists.
  return reviewModules(changeSet, reviewerFrom(env, silentLog, {}, "env"), 8, {
    ...(options.config ? { config: options.config } : {}),
    ...(options.deterministicNotes ? { deterministicNotes: options.deterministicNotes } : {}),
  });
}

describe("survey and synthesis around the windows", () => {
  test("every window gets the survey memory although all run in parallel; every window's notes reach the synthesis, whose cross-window finding is posted", async () => {
    const recorded = mockModel();
    const result = await review({
      deterministicNotes: [{ kind: "api-change", path: "src/c/gamma.ts", text: "DETERMINISTIC: gamma exports 220 values", windowId: "impact" }],
    });

    expect(result.plan.windows).toBeGreaterThanOrEqual(3);
    expect(result.plan.waves).toBe(1);
    expect(recorded.windows.size).toBe(result.plan.windows);
    for (const body of recorded.windows.values()) {
      expect(body).toContain("DETERMINISTIC: gamma exports 220 values");
      expect(body).toContain("alpha now exports values computed eagerly by SURVEY-MARK");
      expect(body).toContain("compute: now takes the path as second argument");
    }

    // One synthesis request holding every window's note, suspicions first.
    expect(recorded.synthesis).toHaveLength(1);
    const synthesis = recorded.synthesis[0]!;
    for (const id of recorded.windows.keys()) expect(synthesis).toContain(id === "w1" ? "SUSPECT-w1" : `NOTE-${id}`);
    expect(synthesis.indexOf("SUSPECT-w1")).toBeLessThan(synthesis.indexOf("NOTE-w2"));
    expect(synthesis).toContain("DETERMINISTIC: gamma exports 220 values");

    // The model never sees the secret, in any pass.
    for (const body of [...recorded.survey, ...recorded.windows.values(), ...recorded.synthesis]) expect(body).not.toContain(SECRET);

    const cross = result.findings.find((f) => f.title === CROSS.title);
    expect(cross).toMatchObject({ source: "synthesis", path: "src/b/beta.ts", line: 10, placement: "inline" });
    expect(formatCredit(cross!)).toBe("Longview · synthesis");
    // The synthesis quoted its line: counted as a candidate, nothing dropped for evidence or scope.
    expect(result.funnel).toMatchObject({ droppedEvidence: 0, droppedScope: 0 });
    expect(result.funnel!.candidates).toBeGreaterThanOrEqual(1);

    expect(result.survey?.files.map((f) => f.path)).toEqual(["src/a/alpha.ts", "src/b/beta.ts"]);
    expect(result.passes?.survey?.calls).toBe(recorded.survey.length);
    expect(result.passes?.synthesis).toMatchObject({ calls: 1, findings: 1 });
    // The synthesis's finding is verified (one batch) before it is posted.
    expect(recorded.verification).toHaveLength(1);
    expect(result.modelCalls).toBe(recorded.survey.length + recorded.windows.size + 1 + 1);
    expect(result.notices).toEqual([]);

    const body = formatReviewBody(result, { configProblems: [] });
    expect(body).toContain("**What this pull request does**");
    expect(body).toMatch(/^\| `src\/a\/alpha\.ts` \| \+\d+ −\d+ \| added · alpha now exports values computed eagerly by SURVEY-MARK \|$/m);
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/(^|\s)@octocat/);
  });

  test("a failed survey is a notice; the deterministic notes still reach every window and the review completes", async () => {
    const recorded = mockModel({ survey: true });
    const result = await review({ deterministicNotes: [{ kind: "api-change", path: null, text: "DETERMINISTIC-ONLY", windowId: "impact" }] });

    expect(result.notices).toEqual([expect.stringMatching(/^The survey could not summarise 3 files .*HTTP 500/)]);
    expect(result.survey).toBeUndefined();
    expect(recorded.windows.size).toBe(result.plan.windows);
    for (const body of recorded.windows.values()) {
      expect(body).toContain("DETERMINISTIC-ONLY");
      expect(body).not.toContain("SURVEY-MARK");
    }
    expect(result.findings.some((f) => f.source === "synthesis")).toBe(true);
  });

  test("a failed synthesis is a notice; the windows' findings stand", async () => {
    mockModel({ synthesis: true });
    const result = await review();
    expect(result.notices).toEqual([expect.stringMatching(/^The synthesis across windows did not run to completion: .*HTTP 500/)]);
    expect(result.findings.some((f) => f.source === "synthesis")).toBe(false);
    expect(result.passes?.synthesis?.calls).toBe(1);
    expect(result.survey).toBeDefined();
  });

  test("a repository can switch both passes off", async () => {
    const recorded = mockModel();
    const config = { ...DEFAULT_REPO_CONFIG, review: { ...DEFAULT_REPO_CONFIG.review, survey: false, synthesis: false } };
    const result = await review({ config: { ...config, analyzers: { ...config.analyzers, enabled: false } } });
    expect(recorded.survey).toEqual([]);
    expect(recorded.synthesis).toEqual([]);
    expect(result.modelCalls).toBe(result.plan.windows);
    expect(result.passes).toBeUndefined();
  });
});

describe("passes that throw", () => {
  test("a survey pass that throws is a notice; the windows and the synthesis still run", async () => {
    const synthesized: string[] = [];
    const reviewer: Reviewer = {
      model: "scripted",
      review: async (window) => ({
        findings: [],
        notes: [{ kind: "suspicion", path: null, text: `from ${window.id}`, windowId: window.id }],
        usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0 },
        calls: 1,
      }),
      survey: {
        model: "scripted",
        survey: () => Promise.reject(new Error("survey exploded")),
      },
      synthesis: {
        model: "scripted",
        synthesize: (input) => {
          synthesized.push(...input.notes.map((n) => n.text));
          return Promise.resolve({ findings: [], usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0 }, calls: 1, inputTokens: 1, omitted: {} });
        },
      },
    };
    const result = await reviewModules(changeSet, reviewer, 8);
    expect(result.notices).toEqual([expect.stringContaining("The survey of the change failed: survey exploded.")]);
    expect(result.modelCalls).toBe(result.plan.windows + 1);
    expect(synthesized).toHaveLength(result.plan.windows);
  });

  test("one window: the survey runs and its memory reaches the window; no synthesis across windows", async () => {
    const seen: string[][] = [];
    let synthesized = 0;
    const reviewer: Reviewer = {
      model: "scripted",
      review: async (window) => {
        seen.push(window.memory.map((n) => n.text));
        return { findings: [], notes: [], usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0 }, calls: 1 };
      },
      survey: {
        model: "scripted",
        survey: async () => ({
          survey: { files: [{ path: "src/one.ts", summary: "adds twenty values" }], apiChanges: [], risks: [] },
          usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0 },
          calls: 1,
          failures: [],
        }),
      },
      synthesis: {
        model: "scripted",
        synthesize: () => {
          synthesized++;
          return Promise.reject(new Error("not expected"));
        },
      },
    };
    const result = await reviewModules(modulesChangeSet(["src/one.ts"], 20), reviewer, 4, { pr: { title: "One module", description: "" } });
    expect(result.plan.windows).toBe(1);
    expect(seen).toEqual([["adds twenty values"]]);
    expect(synthesized).toBe(0);
    expect(result.notices).toEqual([]);
    expect(result.survey?.files).toEqual([{ path: "src/one.ts", summary: "adds twenty values" }]);
  });
});
