/**
 * Large-review benchmark: `npm run bench:large-review`.
 *
 * The real server process (src/main.ts, through tsx) reviews a generated
 * pull request of BENCH_FILES one-line files (default 3,000, GitHub's listing
 * cap) from the GitHub simulator, with a scripted model that answers at once.
 * Meanwhile a probe asks `/ping` every 50 ms. Prints:
 *   - the server's own event-loop delay during the review (p50 / p99 / max,
 *     perf_hooks.monitorEventLoopDelay as exported on /metrics; scraped just
 *     before the webhook and right after the check run completed),
 *   - /ping latency (p50 / p99 / max; measured from this process, which also
 *     runs the simulator, so an upper bound),
 *   - the review's duration and model calls (answered / failed).
 *
 * Settings (environment): BENCH_FILES=3000, BENCH_LINE=finding (every module's first line
 * is one the analyzers report) or plain, BENCH_LINES_PER_FILE=1, BENCH_MODIFY=1 (the modules
 * exist on the base branch and only their first line changes), BENCH_TIMEOUT_S=900,
 * BENCH_COMPUTE_THREADS (the server's LONGVIEW_COMPUTE_THREADS; 0: everything on the event loop), BENCH_NODE_ARGS (flags for
 * the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { pino } from "pino";
import { deliverWebhook, startSimulator } from "../tools/github-simulator/index.js";
import { simulatorEnv, startLongview } from "../tools/demo/longview-process.js";
import { waitFor } from "../tools/demo/wait-for.js";
import { startFakeOpenAI } from "../test/e2e/fake-openai.js";
import { FINDING_LINE, PLAIN_LINE, generatedPullRequest, probePing, readEventLoopDelay, summarize } from "../tools/demo/large-review.js";

const FILES = positive("BENCH_FILES", 3_000);
const LINES = { plain: PLAIN_LINE, finding: FINDING_LINE } as const;
const LINE = process.env.BENCH_LINE ?? "finding";
if (LINE !== "plain" && LINE !== "finding") throw new Error("BENCH_LINE must be plain or finding");
const LINES_PER_FILE = positive("BENCH_LINES_PER_FILE", 1);
const MODIFY = process.env.BENCH_MODIFY === "1";
const TIMEOUT_S = positive("BENCH_TIMEOUT_S", 900);
const log = pino({ level: "info" });

const sim = await startSimulator();
const model = await startFakeOpenAI(() => ({ findings: [], notes: [] }));
const threads = process.env.BENCH_COMPUTE_THREADS;
const server = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: model.baseUrl, ...(threads ? { LONGVIEW_COMPUTE_THREADS: threads } : {}) }, { timeoutMs: 60_000, nodeArgs: (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean) });
try {
  const pr = await generatedPullRequest(sim, { repo: "bench", files: FILES, line: LINES[LINE], linesPerFile: LINES_PER_FILE, modify: MODIFY });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  await readEventLoopDelay(baseUrl); // resets the server's histogram: what follows is the review alone
  const probe = probePing(`${baseUrl}/ping`, 50);
  const started = performance.now();
  const delivery = await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
  const run = await waitFor(() => sim.state.checkRuns(pr.repo, pr.headSha).find((c) => c.status === "completed"), "the check run", TIMEOUT_S * 1_000, 200);
  const reviewS = (performance.now() - started) / 1_000;
  const delay = await readEventLoopDelay(baseUrl);
  const ping = summarize(await probe.stop());
  const failedWindows = /could not review (\d+) of (\d+) windows/.exec(run.title ?? "");
  const result = {
    files: FILES,
    webhookStatus: delivery.status,
    conclusion: run.conclusion,
    title: run.title,
    reviewS: Math.round(reviewS * 10) / 10,
    modelRequests: model.requests.length,
    windowsFailed: failedWindows ? `${failedWindows[1]} of ${failedWindows[2]}` : "0",
    eventLoopDelayMs: delay,
    pingMs: ping,
    reviews: sim.state.reviews(pr.repo, pr.number).length,
  };
  log.info(result, "large review");
  // Errors the server logged, so a failed review says why.
  for (const line of server.logs.filter((l) => /"level":(5|6)\d/.test(l))) process.stdout.write(`server: ${line.slice(0, 2_000)}\n`);
  process.stdout.write(
    `\n${FILES}-file pull request (${LINES_PER_FILE} line${LINES_PER_FILE === 1 ? "" : "s"} per file, ${LINE} lines${MODIFY ? ", first line changed" : ""}): review ${result.reviewS} s (${result.modelRequests} model requests, windows failed: ${result.windowsFailed})\n` +
      `  event-loop delay (server): p50 ${delay.p50} ms, p99 ${delay.p99} ms, max ${delay.max} ms\n` +
      `  /ping latency: p50 ${ping.p50} ms, p99 ${ping.p99} ms, max ${ping.max} ms over ${ping.count} probes (${ping.failed} failed)\n`,
  );
} finally {
  await server.stop();
  await model.close();
  await sim.close();
}

function positive(name: string, def: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? def : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
