import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedModelOutput } from "./fake-openai.js";

/**
 * A check never concludes `success` for a review that did not cover the change:
 * files GitHub did not list (the simulator lists 5 instead of GitHub's 3,000)
 * and windows the model could not review. Binaries are listed as binary, and
 * leaving them out is the review's scope, not a gap. The real server process
 * against the GitHub simulator and a scripted model.
 */

let sim: Simulator;
let model: FakeOpenAI;
let longview: LongviewProcess;
const NONE: ScriptedModelOutput = { findings: [], notes: [] };
const CLEAN = "export function add(a, b) {\n  return a + b;\n}\n";
/** While true, windows holding src/once.js fail too. */
let onceFails = true;

beforeAll(async () => {
  sim = await startSimulator({ limits: { maxListedFiles: 5 } });
  // Windows holding a file called flaky fail, as a model outage would.
  model = await startFakeOpenAI(({ body }) => {
    const text = JSON.stringify(body);
    const fails = text.includes("src/flaky.js") || (onceFails && text.includes("src/once.js"));
    return fails ? { fault: "status", status: 500, message: "The server had an error" } : NONE;
  });
  longview = await startLongview({
    ...simulatorEnv(sim),
    OPENAI_API_KEY: "sk-e2e-completeness",
    OPENAI_BASE_URL: model.baseUrl,
    LONGVIEW_OPENAI_MAX_RETRIES: "0",
  });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await model?.close();
  await sim?.close();
});

async function reviewPullRequest(
  name: string,
  files: Record<string, string | Buffer | null>,
  options: { base?: Record<string, string | Buffer>; modes?: Record<string, "100755"> } = {},
) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "README.md": "# widgets\n", ...options.base } }],
    branches: { feature: { commits: [{ message: "change", files, ...(options.modes ? { modes: options.modes } : {}) }] } },
  });
  const repo = `acme/${name}` as const;
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: `Change ${name}` });
  await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
  const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), `completed check run for ${name}`, 45_000);
  const review = await waitFor(() => sim.state.reviews(repo, pr.number)[0], `review of ${name}`);
  return { run, review, comments: sim.state.reviewComments(repo, pr.number) };
}

describe("incomplete reviews do not pass the gate", () => {
  test("`eval` in a file GitHub did not list: the check fails and says which files were not reviewed", async () => {
    const listed = Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [`src/${n}.js`, CLEAN]));
    const { run, review, comments } = await reviewPullRequest("capped", {
      ...listed,
      "src/z-last.js": "export function run(input) {\n  return eval(input);\n}\n",
    });

    // Longview never saw the last file, so nothing was found; that must not read as a pass.
    expect(comments.some((c) => c.body.includes("eval"))).toBe(false);
    expect(run.conclusion).toBe("failure");
    expect(run.title).toBe("Incomplete: 1 of 6 files not listed by GitHub");
    expect(run.summary).toContain("GitHub lists only the first 5 files of a pull request");
    expect(run.summary).toContain("split the pull request");
    expect(run.summary).toContain("set `gate.onIncomplete: neutral` (or `success`) in `.github/longview.yml`");
    // The five listed files make the same change: one is shown to the model, four are folded onto it (counted apart).
    expect(review.body).toContain("**Coverage:** reviewed 3 of 18 changed lines (16.6%) in 5 of 6 files.");
    expect(review.body).toContain("Changed lines: reviewed 3 · folded 12 · skipped 3.");
    expect(sim.violations).toEqual([]);
  });

  test("windows the model could not review: the check fails and says how to re-run", async () => {
    const { run, review } = await reviewPullRequest("flaky", { "src/flaky.js": CLEAN });
    expect(review.body).toMatch(/The model could not review window w1 \(`src\/flaky\.js`\)/);
    expect(run.conclusion).toBe("failure");
    expect(run.title).toBe("Incomplete: the model could not review 1 of 1 windows");
    expect(run.summary).toContain("To try again, use **Re-run** on this check or comment `/agent review`.");
  });

  test("a repository that accepts incomplete reviews (gate.onIncomplete: neutral) gets a neutral check saying what was missed", async () => {
    const { run } = await reviewPullRequest(
      "flaky-accepted",
      { "src/flaky.js": CLEAN },
      { base: { ".github/longview.yml": "gate:\n  onIncomplete: neutral\n" } },
    );
    expect(run.conclusion).toBe("neutral");
    expect(run.title).toBe("Incomplete: the model could not review 1 of 1 windows");
  });
});

describe("after an incomplete review", () => {
  test("the next push reviews again what the model could not, not only what the push changed", async () => {
    const { run } = await reviewPullRequest("once", { "src/once.js": CLEAN, "src/other.js": CLEAN });
    expect(run.conclusion).toBe("failure");
    onceFails = false;
    const asked = model.requests.length;
    const { sha, events } = await sim.pushCommit("acme/once", "feature", { message: "more", files: { "src/other.js": `${CLEAN}// more\n` } });
    await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: events[0]!.name, payload: events[0]!.payload });
    const next = await waitFor(() => sim.state.checkRuns("acme/once", sha).find((c) => c.status === "completed"), "check run after the push");
    // The push touched only other.js; once.js, which the model never reviewed, is reviewed now.
    expect(model.requests.slice(asked).some((r) => JSON.stringify(r).includes("src/once.js"))).toBe(true);
    expect(next).toMatchObject({ conclusion: "success", title: "No problems found" });
  });
});

describe("binaries in the coverage", () => {
  test("added, modified and deleted binaries are listed as binary, a chmod as mode-only; the review is complete", async () => {
    // Different enough that git sees no rename among them.
    const png = (n: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), Buffer.alloc(64, n)]);
    const { run, review } = await reviewPullRequest(
      "binaries",
      { "img/new.png": png(1), "img/logo.png": Buffer.concat([png(2), Buffer.from([3])]), "img/gone.png": null, "run.sh": "echo hi\n", "src/app.js": CLEAN },
      { base: { "img/logo.png": png(2), "img/gone.png": png(4), "run.sh": "echo hi\n" }, modes: { "run.sh": "100755" } },
    );
    // The skipped-files table (the walkthrough's table of all files comes before it).
    const rows = review.body
      .slice(review.body.indexOf("<summary>Skipped"))
      .split("\n")
      .filter((l) => l.startsWith("| `"));
    expect(rows).toEqual([
      "| `img/gone.png` | binary: binary file (removed); binary content is not reviewed | 0 |",
      "| `img/logo.png` | binary: binary file (modified); binary content is not reviewed | 0 |",
      "| `img/new.png` | binary: binary file (added); binary content is not reviewed | 0 |",
      "| `run.sh` | mode-only: file mode change only | 0 |",
    ]);
    expect(review.body).toContain("**Coverage:** reviewed 3 of 3 changed lines (100%) in 1 of 5 files.");
    expect(review.body).toContain("| `run.sh` | 0 | _not reviewed: mode-only_ |");
    expect(review.body).toMatch(/^\| `src\/app\.js` \| \+\d+ −0 \| added \|$/m);
    expect(run).toMatchObject({ conclusion: "success", title: "No problems found" });
    expect(sim.violations).toEqual([]);
  });
});
