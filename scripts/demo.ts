/**
 * `npm run demo`: a first run with no GitHub account, no key and no network.
 * Starts the GitHub simulator with the bundled `orders-api` repository and
 * pull request, starts the real Longview server against it (in-process queue,
 * offline analyzers — or the model when OPENAI_API_KEY or a local model
 * profile such as LONGVIEW_MODEL_PROFILE=ollama is set), delivers the
 * signed `pull_request.opened` webhook, waits for the review and prints it as
 * a reader would see it on GitHub.
 */
import { deliverWebhook, startSimulator, type Simulator } from "../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../tools/demo/longview-process.js";
import { SAMPLE_REPO, createSamplePullRequest } from "../tools/demo/sample-repo.js";
import { waitFor } from "../tools/demo/wait-for.js";
import { hasModel, loadEnv } from "../src/config/env.js";

/** The model settings the demo hands to the Longview it starts (docs/model.md). */
const MODEL_VARIABLES = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "LONGVIEW_MODEL",
  "LONGVIEW_REASONING_EFFORT",
  "LONGVIEW_MODEL_PROFILE",
  "LONGVIEW_OPENAI_API",
  "LONGVIEW_MODEL_OUTPUT",
  "LONGVIEW_MODEL_TOOLS",
  "LONGVIEW_MODEL_REASONING",
  "LONGVIEW_CONTEXT_TOKENS",
  "LONGVIEW_OUTPUT_TOKENS",
  "LONGVIEW_OPENAI_TIMEOUT_MS",
];

const out = (line = "") => process.stdout.write(`${line}\n`);
const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[22m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\u001b[2m${s}\u001b[22m` : s);

async function main(): Promise<number> {
  const started = Date.now();
  let sim: Simulator | null = null;
  let longview: LongviewProcess | null = null;
  try {
    sim = await startSimulator();
    const pr = await createSamplePullRequest(sim);
    const modelEnv = Object.fromEntries(MODEL_VARIABLES.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
    // A local model profile (e.g. LONGVIEW_MODEL_PROFILE=ollama) enables the model without a key.
    const withModel = hasModel(loadEnv(modelEnv));
    longview = await startLongview({ ...simulatorEnv(sim), LOG_LEVEL: "warn", ...modelEnv });
    out(dim(`GitHub simulator on ${sim.url}; Longview on port ${longview.port} (${withModel ? "model + analyzers" : "offline: analyzers only"})`));
    out(dim(`Delivering pull_request.opened for ${SAMPLE_REPO}#${pr.number} …`));

    const delivery = await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: pr.event.name, payload: pr.payload });
    if (delivery.status >= 300) throw new Error(`Longview answered the webhook with ${delivery.status}: ${delivery.body}`);

    const simulator = sim;
    const check = await waitFor(
      () => simulator.state.checkRuns(SAMPLE_REPO, pr.headSha).find((c) => c.status === "completed"),
      "the Longview check run to complete",
      modelEnv.OPENAI_API_KEY ? 600_000 : 60_000,
    );
    await printReview(sim, pr.number, pr.headSha);
    out();
    out(`${bold(`Check run "${check.name}"`)}: ${check.conclusion} — ${check.title ?? ""} (${check.annotations.length} annotations)`);
    if (sim.violations.length > 0) {
      out(`\nThe simulator saw ${sim.violations.length} request(s) GitHub would reject:`);
      for (const v of sim.violations) out(`  ${JSON.stringify(v)}`);
      return 1;
    }
    out(dim(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`));
    return 0;
  } finally {
    await longview?.stop();
    await sim?.close();
  }
}

async function printReview(sim: Simulator, number: number, headSha: string): Promise<void> {
  const reviews = sim.state.reviews(SAMPLE_REPO, number);
  const comments = sim.state.reviewComments(SAMPLE_REPO, number);
  out();
  out(bold(`═══ ${SAMPLE_REPO} #${number} — review by ${reviews[0]?.user ?? "(none)"} ═══`));
  for (const c of comments) {
    const where = c.subjectType === "file" ? `${c.path} (file)` : `${c.path}:${c.startLine ? `${c.startLine}-` : ""}${c.line}`;
    out();
    out(bold(`▶ ${where}`));
    if (c.subjectType === "line" && c.line !== null && c.side === "RIGHT") {
      const file = (await sim.state.fileAt(SAMPLE_REPO, headSha, c.path)) ?? "";
      const code = file.split("\n")[c.line - 1];
      if (code !== undefined) out(dim(`  ${String(c.line).padStart(4)} │ ${code}`));
    }
    for (const line of readable(c.body).split("\n")) out(`  ${line}`);
  }
  for (const review of reviews) {
    out();
    out(bold("─── review summary ───"));
    out(readable(review.body));
  }
}

/** Markdown as a reader sees it: hidden markers and HTML tags gone. */
function readable(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?(sub|details|summary)>/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
