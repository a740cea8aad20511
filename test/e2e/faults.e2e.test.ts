import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, primaryRateLimit, secondaryRateLimit, startSimulator, type FaultSpec, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { startFakeOpenAI, type FakeOpenAI, type ModelFault, type ScriptedModelOutput } from "./fake-openai.js";

/**
 * The fault matrix against the real server process (src/main.ts) and the
 * GitHub simulator, with production timings (no scaled waits): one pull
 * request per row, one fault per row, injected into GitHub or the model.
 * Every row ends in a completed review or a clearly failed check run, and
 * never more than one summary review. docs/reliability.md records the outcomes.
 */

let sim: Simulator;
let model: FakeOpenAI;
let longview: LongviewProcess;
/** Model behaviour by row key (the key is in the file path the model sees). */
const modelFaults = new Map<string, () => ModelFault | ScriptedModelOutput>();
const observed: string[] = [];
const NONE: ScriptedModelOutput = { findings: [], notes: [] };

beforeAll(async () => {
  sim = await startSimulator();
  model = await startFakeOpenAI(({ body }) => {
    const text = JSON.stringify(body);
    for (const [key, behave] of modelFaults) if (text.includes(`src/${key}.js`)) return behave();
    return NONE;
  });
  longview = await startLongview({
    ...simulatorEnv(sim),
    OPENAI_API_KEY: "sk-e2e-faults-0123456789",
    OPENAI_BASE_URL: model.baseUrl,
    LONGVIEW_OPENAI_MAX_RETRIES: "0",
    LONGVIEW_OPENAI_TIMEOUT_MS: "1000",
    LONGVIEW_JOB_BACKOFF_MS: "300",
  });
}, 60_000);

afterAll(async () => {
  process.stdout.write(`\nfault matrix (simulator, real process):\n${observed.join("\n")}\n`);
  await longview?.stop();
  await model?.close();
  await sim?.close();
});

interface Row {
  readonly key: string;
  readonly name: string;
  readonly github?: (repo: string, pr: number) => FaultSpec[];
  readonly model?: () => ModelFault | ScriptedModelOutput;
  /** Runs when the model is asked about this row (mid-review). */
  readonly duringReview?: () => void;
  readonly expect: "reviewed" | "failed-check";
  readonly says?: RegExp;
  readonly check?: (repo: string) => void;
}

const rows: Row[] = [
  {
    key: "gh500",
    name: "GitHub 500 once on GET pull request",
    github: (r, n) => [{ method: "GET", route: `/repos/${r}/pulls/${n}`, status: 500 }],
    expect: "reviewed",
  },
  {
    key: "gh502post",
    name: "GitHub 502 once on POST review",
    github: (r, n) => [{ method: "POST", route: `/repos/${r}/pulls/${n}/reviews`, status: 502 }],
    expect: "reviewed",
  },
  {
    key: "secondary",
    name: "403 secondary rate limit (retry-after: 1) on create check run",
    github: (r) => [{ method: "POST", route: `/repos/${r}/check-runs`, ...secondaryRateLimit(1) }],
    expect: "reviewed",
  },
  {
    key: "primary",
    name: "403 primary rate limit (reset in 1 s) on the file list",
    github: (r, n) => [{ method: "GET", route: `/repos/${r}/pulls/${n}/files`, ...primaryRateLimit(new Date(Date.now() + 1_000)) }],
    expect: "reviewed",
  },
  {
    key: "gh404",
    name: "404 on POST review (pull request gone)",
    github: (r, n) => [{ method: "POST", route: `/repos/${r}/pulls/${n}/reviews`, status: 404, times: Infinity }],
    expect: "failed-check",
    says: /Not Found/,
  },
  {
    key: "timeout",
    name: "OpenAI timeout (LONGVIEW_OPENAI_TIMEOUT_MS=1000, answer after 3 s)",
    model: () => ({ fault: "slow", ms: 3_000, output: NONE }),
    expect: "reviewed",
    says: /did not answer for window w1 in time/,
  },
  {
    key: "openai429",
    name: "OpenAI 429",
    model: () => ({ fault: "status", status: 429, message: "Rate limit reached for requests" }),
    expect: "reviewed",
    says: /HTTP 429/,
  },
  {
    key: "incomplete",
    name: "OpenAI truncated output",
    model: () => ({ fault: "incomplete", text: '{"findings": [' }),
    expect: "reviewed",
    says: /incomplete \(max_output_tokens\)/,
  },
  {
    key: "refusal",
    name: "OpenAI refusal",
    model: () => ({ fault: "refusal", refusal: "I can't help with that." }),
    expect: "reviewed",
    says: /refused to review window w1/,
  },
  {
    key: "token",
    name: "installation token expired mid-review (sim.expireTokens())",
    duringReview: () => sim.expireTokens(),
    expect: "reviewed",
    // GitHub refused the old token once; Longview got a new one and went on.
    check: (repo) => expect(sim.requests.some((r) => r.path.startsWith(`/repos/${repo}/`) && r.status === 401)).toBe(true),
  },
];

describe("fault matrix (simulator, real process)", () => {
  test.each(rows.map((r) => [r.name, r] as const))(
    "%s",
    async (_name, row) => {
      const repo = `acme/${row.key.toLowerCase()}` as const;
      await sim.createRepo({
        owner: "acme",
        name: row.key.toLowerCase(),
        commits: [{ message: "base", files: { [`src/${row.key}.js`]: "export const a = 1;\n" } }],
        branches: {
          feature: {
            commits: [{ message: "change", files: { [`src/${row.key}.js`]: "export const a = 1;\nexport function run(input) {\n  return eval(input);\n}\n" } }],
          },
        },
      });
      const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: row.name });
      for (const spec of row.github?.(repo, pr.number) ?? []) sim.faults.inject(spec);
      modelFaults.set(row.key, () => {
        row.duringReview?.();
        return row.model?.() ?? NONE;
      });

      await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
      const run = await waitFor(
        () => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"),
        `completed check run for ${row.key}`,
        45_000,
      );
      // Let anything still in flight land: a duplicate would show up here.
      await new Promise((r) => setTimeout(r, 500));

      const summaries = sim.state.reviews(repo, pr.number).filter((r) => r.body.includes("### Longview review"));
      const statuses = sim.requests
        .filter((r) => r.path.includes(`/repos/${repo}/`) && r.status >= 400)
        .map((r) => `${r.method} ${r.route ?? r.path} ${r.status}`);
      observed.push(
        `| ${row.name} | ${run.conclusion} "${run.title}" | summary reviews: ${summaries.length} | GitHub errors seen: ${statuses.join(", ") || "none"} |`,
      );

      expect(sim.state.checkRuns(repo, pr.headSha).every((c) => c.status === "completed")).toBe(true);
      expect(summaries.length).toBeLessThanOrEqual(1);
      if (row.expect === "reviewed") {
        expect(summaries).toHaveLength(1);
        // The analyzers' eval finding is there whatever the model did.
        expect(sim.state.reviewComments(repo, pr.number).some((c) => c.body.includes("eval"))).toBe(true);
      } else {
        expect(summaries).toHaveLength(0);
        expect(run).toMatchObject({ conclusion: "neutral", title: "Review failed" });
      }
      if (row.says) expect(`${summaries.map((s) => s.body).join("\n")}\n${run.summary ?? ""}`).toMatch(row.says);
      row.check?.(repo);
      sim.faults.clear();
    },
    60_000,
  );

  test("the simulator saw no request GitHub would reject", () => {
    expect(sim.violations).toEqual([]);
  });
});
