/**
 * End-to-end overhead benchmark: `npm run bench:e2e`.
 *
 * The real server process (src/main.ts through tsx, default settings — GitHub
 * write spacing included) reviews two generated pull requests from the GitHub
 * simulator with a scripted model that answers at once: "large" (the shape of
 * express 4.21.0 → 5.0.0: 65 files, about +1,100 −3,400) and "small" (2 files).
 * Each scenario gets a fresh server, so its peak memory is its own. Prints per
 * scenario:
 *   - GitHub calls during the review: reads, writes, token requests, and the
 *     reads that fetch the change and the repository (file list, contents,
 *     blobs, trees, archives, GraphQL; not the optional configuration and
 *     AGENTS.md reads), and every call by route;
 *   - the webhook's answer time and the time from webhook to the completed
 *     check run, split by stage: fetch, impact, analyzers, planning, model,
 *     posting (from the server's "review stages" log, which times the job
 *     from its start; without that log, from the request timeline: fetch
 *     from the webhook to the last read before the first model request,
 *     posting from the last model answer to the completed check run);
 *   - RSS: idle (after start-up, before the webhook; and again 12 s after the
 *     check run, once idle compute threads were stopped), and the process's peak (VmHWM);
 *   - the event loop's longest stall during the review (`longview_nodejs_eventloop_lag_max_seconds` of
 *     `/metrics`, read just before the webhook, which resets it, and after the check run);
 *   - model requests and their input tokens (o200k count of what was sent);
 *   - the coverage line of the check run.
 *
 * No network: the simulator, the model and Longview run on loopback.
 * Settings (environment): BENCH_SCENARIOS=large,small, BENCH_RUNS=1 (runs per
 * scenario, each on a fresh server; the median is printed with the range),
 * BENCH_ENV (extra Longview settings, "KEY=value KEY2=value"), BENCH_JSON=1 (JSON lines only),
 * BENCH_BUILT=1 (run the compiled server, `node dist/main.js` as production does; the benchmark builds it first).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text as readBody } from "node:stream/consumers";
import { countTokens } from "../src/context/tokens.js";
import { deliverWebhook, startSimulator, type Simulator } from "../tools/github-simulator/index.js";
import type { RequestLogEntry } from "../tools/github-simulator/types.js";
import { simulatorEnv, startLongview } from "../tools/demo/longview-process.js";
import { waitFor } from "../tools/demo/wait-for.js";
import { confirmAll, formatOf } from "../test/helpers/verifier.js";
import { benchPullRequest, type Scenario } from "./fixtures/e2e-pull-requests.js";

const SCENARIOS = (process.env.BENCH_SCENARIOS ?? "large,small").split(",").map((s) => s.trim()) as Scenario[];
for (const s of SCENARIOS) if (s !== "large" && s !== "small") throw new Error(`unknown scenario ${s}`);
const RUNS = Number(process.env.BENCH_RUNS ?? "1");
/** BENCH_TIMELINE=1: every GitHub and model request of the review on stderr, relative to the webhook. */
const TIMELINE = process.env.BENCH_TIMELINE === "1";
const JSON_ONLY = process.env.BENCH_JSON === "1";
/** BENCH_BUILT=1: the compiled server (`dist/main.js`), as `npm start` runs it; sources through tsx otherwise. */
const BUILT = process.env.BENCH_BUILT === "1";
const EXTRA_ENV = Object.fromEntries(
  (process.env.BENCH_ENV ?? "")
    .split(" ")
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const MiB = 1024 * 1024;
/** When "idle after" is read, from the completed check run. */
const IDLE_AFTER_MS = 12_000;

interface ModelCall {
  readonly at: number;
  readonly done: number;
  readonly kind: string;
  readonly inputTokens: number;
}

/** An OpenAI-compatible Responses endpoint that answers every pass at once with nothing found (verification confirms). */
async function startInstantModel(): Promise<{ baseUrl: string; calls: ModelCall[]; close(): Promise<void> }> {
  const calls: ModelCall[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const at = Date.now();
      const text = await readBody(req);
      const body = JSON.parse(text) as { instructions?: unknown; input?: unknown };
      const kind = formatOf(body) ?? "other";
      const answer =
        kind === "longview_survey"
          ? { files: [], api_changes: [], risks: [] }
          : kind === "longview_synthesis"
            ? { findings: [] }
            : kind === "longview_verification"
              ? confirmAll(text)
              : { findings: [], notes: [] };
      const inputTokens = countTokens(`${JSON.stringify(body.instructions ?? "")}${JSON.stringify(body.input ?? "")}`);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseFor(JSON.stringify(answer), inputTokens)));
      calls.push({ at, done: Date.now(), kind, inputTokens });
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise((r) => server.close(() => r())) };
}

function responseFor(text: string, inputTokens: number) {
  return {
    id: "resp_bench",
    object: "response",
    created_at: 1_763_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    model: "gpt-5.1-codex-max",
    output: [{ id: "msg_1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + 20,
    },
  };
}

function rss(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

const FETCH_ROUTE = /\/pulls\/\{pull_number\}\/files|\/contents\/|\/git\/blobs|\/git\/trees|\/tarball|\/zipball|_codeload|graphql|\/compare\//;

/** Optional reads of settings (configuration, AGENTS.md): counted as reads, not as fetching the change. */
const OPTIONAL_FILE = /longview\.yml|AGENTS\.md/;

function classify(entry: RequestLogEntry): "token" | "read" | "write" {
  if (entry.path.includes("/access_tokens")) return "token";
  if (entry.method === "GET" || entry.method === "HEAD") return "read";
  // A first review resolves no threads: its GraphQL requests are queries.
  if (entry.path.endsWith("/graphql") && entry.method === "POST") return "read";
  return "write";
}

interface Stages {
  fetch: number;
  /** The impact context (reading the repository beyond the change); null: inside `compute`. */
  impact: number | null;
  analyzers: number | null;
  planning: number | null;
  compute: number;
  model: number;
  posting: number;
}

interface RunResult {
  readonly scenario: Scenario;
  readonly pr: { files: number; additions: number; deletions: number };
  readonly webhook: { status: number; ackMs: number };
  readonly reviewMs: number;
  /** Webhook → the last GitHub write of the job (the review is posted after the check run completes). */
  readonly lastWriteMs: number;
  readonly stages: Stages;
  readonly github: { reads: number; writes: number; tokens: number; fetch: number; routes: Record<string, number> };
  readonly memory: { idleMiB: number; peakMiB: number; idleAfterMiB: number };
  /** The event loop's longest stall from the webhook to the completed check run (ms); null without /metrics. */
  readonly loopStallMs: number | null;
  readonly model: { requests: number; inputTokens: number; byKind: Record<string, number> };
  readonly coverage: string;
  readonly conclusion: string | null;
}

async function runScenario(sim: Simulator, scenario: Scenario, run: number): Promise<RunResult> {
  const model = await startInstantModel();
  const server = await startLongview(
    {
      ...simulatorEnv(sim),
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: model.baseUrl,
      // Default write spacing, not the tests' 0: the benchmark measures what a real installation waits.
      LONGVIEW_GITHUB_WRITE_INTERVAL_MS: "1000",
      ...EXTRA_ENV,
    },
    { timeoutMs: 60_000, built: BUILT },
  );
  try {
    const pr = await benchPullRequest(sim, scenario, `r${run}`);
    // Let start-up settle (JIT, lazy module loads finish) before reading idle memory.
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = rss(server.pid);
    await loopStall(server.port);
    const from = sim.requests.length;
    const started = Date.now();
    const delivery = await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    const ackMs = Date.now() - started;
    const check = await waitFor(() => sim.state.checkRuns(pr.repo, pr.headSha).find((c) => c.status === "completed"), "the check run", 120_000, 20);
    // The simulator logs a request once answered, after its effect: wait for the last writes' entries.
    await new Promise((r) => setTimeout(r, 3_000));
    const requests = sim.requests.slice(from);
    // The check run is completed by the job's last check-run update.
    const completing = [...requests].reverse().find((r) => /\/check-runs\/\d+$/.test(r.path) && r.method === "PATCH") ?? requests.at(-1)!;
    const finished = completing.receivedAt + completing.durationMs;
    const writes_ = requests.filter((r) => classify(r) === "write");
    const lastWrite = Math.max(...writes_.map((r) => r.receivedAt + r.durationMs));
    const peak = rss(server.pid).peak;
    const stall = await loopStall(server.port);
    // Idle compute threads are stopped after 10 s (REVIEW_THREAD_IDLE_MS); read the process once that has happened.
    // Not imported from src/, so the same benchmark also runs on code from before that change.
    await new Promise((r) => setTimeout(r, IDLE_AFTER_MS - 3_000));
    const idleAfter = rss(server.pid).rss;

    const routes: Record<string, number> = {};
    let reads = 0;
    let writes = 0;
    let tokens = 0;
    let fetch = 0;
    for (const r of requests) {
      const kind = classify(r);
      if (kind === "token") tokens++;
      else if (kind === "read") reads++;
      else writes++;
      const key = `${r.method} ${r.route ?? r.path.replace(/[0-9a-f]{40}/g, "{sha}")}`;
      routes[key] = (routes[key] ?? 0) + 1;
      if (kind === "read" && FETCH_ROUTE.test(r.route ?? r.path) && !OPTIONAL_FILE.test(r.path)) fetch++;
    }

    const calls = model.calls.filter((c) => c.at >= started);
    const firstModel = Math.min(...calls.map((c) => c.at));
    const lastModel = Math.max(...calls.map((c) => c.done));
    const stagesLog = logged(server.logs, "review stages");
    const beforeModel = requests.filter((r) => r.receivedAt < firstModel && classify(r) === "read");
    const lastRead = beforeModel.length > 0 ? Math.max(...beforeModel.map((r) => r.receivedAt + r.durationMs)) : started;
    const stages: Stages =
      stagesLog !== null
        ? {
            fetch: num(stagesLog["fetchMs"]),
            impact: num(stagesLog["impactMs"]),
            analyzers: num(stagesLog["analyzersMs"]),
            planning: num(stagesLog["planningMs"]),
            compute: num(stagesLog["impactMs"]) + num(stagesLog["analyzersMs"]) + num(stagesLog["planningMs"]),
            model: num(stagesLog["modelMs"]),
            posting: num(stagesLog["postingMs"]),
          }
        : {
            fetch: lastRead - started,
            impact: null,
            analyzers: null,
            planning: null,
            compute: firstModel - lastRead,
            model: lastModel - firstModel,
            posting: finished - lastModel,
          };
    if (TIMELINE) {
      const events = [
        ...requests.map((r) => ({ at: r.receivedAt, text: `github ${r.method} ${r.path.slice(0, 90)} ${r.status} (${Math.round(r.durationMs)} ms)` })),
        ...calls.map((c) => ({ at: c.at, text: `model ${c.kind} ${c.inputTokens} tokens (${c.done - c.at} ms)` })),
      ].sort((a, b) => a.at - b.at);
      for (const e of events) process.stderr.write(`  +${e.at - started} ms ${e.text}\n`);
    }
    const byKind: Record<string, number> = {};
    for (const c of calls) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    const coverage = /\*\*Coverage:\*\*[^\n]*/.exec(check.summary ?? "")?.[0] ?? "(no coverage line)";
    return {
      scenario,
      pr: { files: pr.files, additions: pr.additions, deletions: pr.deletions },
      webhook: { status: delivery.status, ackMs },
      reviewMs: finished - started,
      lastWriteMs: lastWrite - started,
      stages,
      github: { reads, writes, tokens, fetch, routes },
      memory: { idleMiB: round(idle.rss / MiB), peakMiB: round(peak / MiB), idleAfterMiB: round(idleAfter / MiB) },
      loopStallMs: stall,
      model: { requests: calls.length, inputTokens: calls.reduce((n, c) => n + c.inputTokens, 0), byKind },
      coverage,
      conclusion: check.conclusion ?? null,
    };
  } finally {
    for (const line of server.logs.filter((l) => /"level":(5|6)\d/.test(l))) process.stderr.write(`longview: ${line.slice(0, 2_000)}\n`);
    await server.stop();
    await model.close();
  }
}

/** The event loop's longest delay since the last read of `/metrics` (prom-client resets it on each read), in ms. */
async function loopStall(port: number): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = /^longview_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1];
    return value === undefined ? null : Math.round(Number(value) * 1_000);
  } catch {
    return null;
  }
}

function logged(logs: readonly string[], msg: string): Record<string, unknown> | null {
  for (const line of logs) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  return null;
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const round = (n: number): number => Math.round(n * 10) / 10;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The compiled server is built from the sources being measured, never a stale dist/.
if (BUILT) execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
const sim = await startSimulator();
const t0 = Date.now();
try {
  for (const scenario of SCENARIOS) {
    const results: RunResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await runScenario(sim, scenario, run);
      results.push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    if (JSON_ONLY) continue;
    const r = results[0]!;
    const m = (f: (x: RunResult) => number) => {
      const xs = results.map((x) => Math.round(f(x)));
      return xs.length === 1 ? `${xs[0]}` : `${median(xs)} (${Math.min(...xs)}–${Math.max(...xs)})`;
    };
    const s = (f: (x: Stages) => number | null) => m((x) => f(x.stages) ?? 0);
    process.stdout.write(
      [
        ``,
        `${scenario}: ${r.pr.files} files, +${r.pr.additions} −${r.pr.deletions}; ${BUILT ? "node dist/main.js" : "tsx src/main.ts"}; ${RUNS} run(s), median (range)`,
        `  GitHub calls: ${m((x) => x.github.reads)} reads (${m((x) => x.github.fetch)} fetching the change and the repository), ${m((x) => x.github.writes)} writes, ${m((x) => x.github.tokens)} token requests`,
        `  webhook ack: ${m((x) => x.webhook.ackMs)} ms (HTTP ${r.webhook.status})`,
        `  webhook → check run complete: ${m((x) => x.reviewMs)} ms — fetch ${s((x) => x.fetch)}, ` +
          (r.stages.analyzers === null
            ? `impact + analyzers + planning ${s((x) => x.compute)}`
            : `impact ${s((x) => x.impact)}, analyzers ${s((x) => x.analyzers)}, planning ${s((x) => x.planning)}`) +
          `, model ${s((x) => x.model)}, posting ${s((x) => x.posting)} ms; webhook → last write ${m((x) => x.lastWriteMs)} ms`,
        `  RSS: idle ${m((x) => x.memory.idleMiB)} MiB, peak ${m((x) => x.memory.peakMiB)} MiB, idle after ${m((x) => x.memory.idleAfterMiB)} MiB`,
        `  event loop: longest stall during the review ${r.loopStallMs === null ? "unknown (no /metrics)" : `${m((x) => x.loopStallMs ?? 0)} ms`}`,
        `  model: ${m((x) => x.model.requests)} requests, ${m((x) => x.model.inputTokens)} input tokens (${Object.entries(r.model.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ")})`,
        `  ${r.coverage} (check run: ${r.conclusion})`,
        `  GitHub calls by route: ${Object.entries(r.github.routes)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ×${n}`)
          .join("; ")}`,
        ``,
      ].join("\n"),
    );
  }
  if (sim.violations.length > 0) process.stdout.write(`simulator violations: ${JSON.stringify(sim.violations).slice(0, 2_000)}\n`);
  process.stdout.write(`bench:e2e took ${Math.round((Date.now() - t0) / 1_000)} s\n`);
} finally {
  await sim.close();
}
