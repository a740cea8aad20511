/**
 * Large-review benchmark: `npm run bench:large-review`.
 *
 * The real server process (src/main.ts, through tsx) reviews a generated
 * pull request of BENCH_FILES one-line files (default 3,000, GitHub's listing
 * cap) from the GitHub simulator, with a scripted model that answers at once.
 * Meanwhile a probe asks `/ping` every 50 ms. Prints:
 *   - the event-loop delay of the process that ran the review, during the
 *     review (p50 / p99 / max: perf_hooks.monitorEventLoopDelay as exported on
 *     /metrics, scraped just before the webhook and right after the check run
 *     completed; the values include the histogram's 10 ms sampling interval),
 *   - /ping latency (p50 / p99 / max; measured from this process, which also
 *     runs the simulator, so an upper bound),
 *   - the review's duration, model calls, reviews posted and review job runs.
 *
 * Settings (environment): BENCH_FILES=3000, BENCH_LINE=finding (every module's first line
 * is one the analyzers report) or plain, BENCH_LINES_PER_FILE=1, BENCH_MODIFY=1 (the modules
 * exist on the base branch and only their first line changes), BENCH_TIMEOUT_S=900,
 * BENCH_COMPUTE_THREADS (LONGVIEW_COMPUTE_THREADS; 0: everything on the event loop),
 * BENCH_REDIS=1 (the server takes webhooks only and two `src/worker.ts` processes review,
 * with REDIS_URL or redis://127.0.0.1:6379, an own key prefix, 30 s job locks),
 * BENCH_NODE_ARGS (flags for the process that reviews, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { deliverWebhook, startSimulator } from "../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../tools/demo/longview-process.js";
import { waitFor } from "../tools/demo/wait-for.js";
import { startFakeOpenAI } from "../test/e2e/fake-openai.js";
import { REDIS_URL, deleteKeys } from "../test/integration/queue/queue-harness.js";
import { FINDING_LINE, PLAIN_LINE, generatedPullRequest, probePing, readEventLoopDelay, summarize, type EventLoopDelay } from "../tools/demo/large-review.js";

const FILES = positive("BENCH_FILES", 3_000);
const LINES = { plain: PLAIN_LINE, finding: FINDING_LINE } as const;
const LINE = process.env.BENCH_LINE ?? "finding";
if (LINE !== "plain" && LINE !== "finding") throw new Error("BENCH_LINE must be plain or finding");
const LINES_PER_FILE = positive("BENCH_LINES_PER_FILE", 1);
const MODIFY = process.env.BENCH_MODIFY === "1";
const REDIS = process.env.BENCH_REDIS === "1";
const PREFIX = `lvbench-${randomUUID().slice(0, 8)}`;
const TIMEOUT_S = positive("BENCH_TIMEOUT_S", 900);
const log = pino({ level: "info" });

const sim = await startSimulator();
const model = await startFakeOpenAI(() => ({ findings: [], notes: [] }));
const threads = process.env.BENCH_COMPUTE_THREADS;
const env = {
  ...simulatorEnv(sim),
  OPENAI_API_KEY: "sk-bench",
  OPENAI_BASE_URL: model.baseUrl,
  ...(threads ? { LONGVIEW_COMPUTE_THREADS: threads } : {}),
  ...(REDIS ? { REDIS_URL, LONGVIEW_QUEUE_PREFIX: PREFIX } : {}),
};
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const server = await startLongview(env, { timeoutMs: 60_000, ...(REDIS ? {} : { nodeArgs }) });
const workers: LongviewProcess[] = REDIS ? await Promise.all([1, 2].map(() => startLongview(env, { entry: "worker", timeoutMs: 60_000, nodeArgs }))) : [];
/** The processes that may run the review: the server itself, or the workers. */
const reviewers = REDIS ? workers : [server];
const url = (p: LongviewProcess) => `http://127.0.0.1:${p.port}`;
try {
  const pr = await generatedPullRequest(sim, { repo: "bench", files: FILES, line: LINES[LINE], linesPerFile: LINES_PER_FILE, modify: MODIFY });
  // Scraping resets the histograms: what they hold next is the review alone.
  await Promise.all(reviewers.map((p) => readEventLoopDelay(url(p))));
  const probe = probePing(`${url(server)}/ping`, 50);
  const started = performance.now();
  const delivery = await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
  const run = await waitFor(() => sim.state.checkRuns(pr.repo, pr.headSha).find((c) => c.status === "completed"), "the check run", TIMEOUT_S * 1_000, 200);
  const reviewS = (performance.now() - started) / 1_000;
  const delays = await Promise.all(reviewers.map((p) => readEventLoopDelay(url(p))));
  const ping = summarize(await probe.stop());
  if (REDIS) await new Promise((r) => setTimeout(r, 3_000)); // a second run after a lost lock would start by now
  const runs = reviewers.map((p) => p.logs.filter((l) => l.includes('"msg":"review job started"')).length);
  // The process that ran the review (the most runs; the worst delay on a tie).
  const busiest = runs.reduce((best, n, i) => (n > runs[best]! || (n === runs[best] && delays[i]!.p99 > delays[best]!.p99) ? i : best), 0);
  const delay: EventLoopDelay = delays[busiest]!;
  const failedWindows = /could not review (\d+) of (\d+) windows/.exec(run.title ?? "");
  const result = {
    files: FILES,
    mode: REDIS ? "redis, 2 workers" : "in-process queue",
    webhookStatus: delivery.status,
    conclusion: run.conclusion,
    title: run.title,
    reviewS: Math.round(reviewS * 10) / 10,
    modelRequests: model.requests.length,
    windowsFailed: failedWindows ? `${failedWindows[1]} of ${failedWindows[2]}` : "0",
    eventLoopDelayMs: delay,
    pingMs: ping,
    reviews: sim.state.reviews(pr.repo, pr.number).length,
    reviewJobRuns: runs,
  };
  log.info(result, "large review");
  // Errors the processes logged, so a failed review says why.
  for (const line of [server, ...workers].flatMap((p) => p.logs).filter((l) => /"level":(5|6)\d/.test(l)))
    process.stdout.write(`longview: ${line.slice(0, 2_000)}\n`);
  process.stdout.write(
    `\n${FILES}-file pull request (${LINES_PER_FILE} line${LINES_PER_FILE === 1 ? "" : "s"} per file, ${LINE} lines${MODIFY ? ", first line changed" : ""}; ${result.mode}): ` +
      `review ${result.reviewS} s, ${result.modelRequests} model requests (windows failed: ${result.windowsFailed}), ${result.reviews} review(s) posted, review job runs ${runs.join(" + ")}\n` +
      `  event-loop delay (${REDIS ? "reviewing worker" : "server"}): p50 ${delay.p50} ms, p99 ${delay.p99} ms, max ${delay.max} ms\n` +
      `  /ping latency (server): p50 ${ping.p50} ms, p99 ${ping.p99} ms, max ${ping.max} ms over ${ping.count} probes (${ping.failed} failed)\n`,
  );
} finally {
  await Promise.all([server, ...workers].map((p) => p.stop()));
  await model.close();
  await sim.close();
  if (REDIS) await deleteKeys(PREFIX);
}

function positive(name: string, def: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? def : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
