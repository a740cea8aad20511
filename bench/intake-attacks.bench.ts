/**
 * Webhook intake under attack: `npm run bench:intake-attacks`.
 *
 * Each scenario starts a fresh server process (src/main.ts, the production
 * entry point, against the GitHub simulator), attacks its webhook endpoint
 * over loopback, and prints the server's resident memory read from
 * /proc/<pid>/status: before the attack (VmRSS), the peak (VmHWM, the
 * process's high-water mark) and after it (VmRSS once the attack has ended
 * and BENCH_SETTLE_MS have passed) — with what the attackers were answered.
 * A signed delivery afterwards checks that the server still takes webhooks.
 *
 * "Forged" bodies carry a well-formed `X-Hub-Signature-256` that does not
 * match: a header that is absent is refused before any byte is read, so an
 * attacker sends one.
 *
 * Settings (environment): BENCH_SCENARIOS=one-100mb,four-250mb,four-250mb-chunked,sixteen-30mb-chunked,slow-loris
 * BENCH_SETTLE_MS=3000; LONGVIEW_WEBHOOK_* settings are passed on to the server.
 * Linux only (/proc).
 */
import { readFileSync } from "node:fs";
import { request, type ClientRequest } from "node:http";
import { deliverWebhook, startSimulator, type Simulator } from "../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../tools/demo/longview-process.js";

const MB = 1024 * 1024;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);
const FORGED = `sha256=${"0".repeat(64)}`;

interface AttackSpec {
  readonly bytes: number;
  /** Without Content-Length (chunked transfer encoding): the server cannot refuse it from the headers. */
  readonly chunked: boolean;
  /** Slow-loris: `bytes` per `everyMs` instead of as fast as the socket takes them. */
  readonly drip?: { readonly bytes: number; readonly everyMs: number; readonly giveUpMs: number };
}

interface AttackOutcome {
  /** HTTP status, or "reset" when the connection was cut before an answer, or "none" when nothing answered. */
  readonly answer: number | "reset" | "none";
  readonly seconds: number;
  readonly sentMb: number;
}

interface Scenario {
  readonly name: string;
  readonly describe: string;
  readonly attacks: readonly AttackSpec[];
  /** The same attack again, one round after the other, against the same process: memory must not grow per round. */
  readonly rounds?: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: "one-100mb", describe: "one forged 100 MB POST (Content-Length)", attacks: [{ bytes: 100 * MB, chunked: false }] },
  {
    name: "four-250mb",
    describe: "four forged 250 MB POSTs in parallel (Content-Length)",
    attacks: Array.from({ length: 4 }, () => ({ bytes: 250 * MB, chunked: false })),
  },
  {
    name: "four-250mb-chunked",
    describe: "four forged 250 MB POSTs in parallel (chunked, no Content-Length)",
    attacks: Array.from({ length: 4 }, () => ({ bytes: 250 * MB, chunked: true })),
  },
  {
    name: "sixteen-30mb-chunked",
    describe: "sixteen forged 30 MB POSTs in parallel (chunked), three rounds: the cap alone would let them hold 16 × 25 MB",
    attacks: Array.from({ length: 16 }, () => ({ bytes: 30 * MB, chunked: true })),
    rounds: 3,
  },
  {
    name: "slow-loris",
    describe: "twenty forged 1 MB bodies dripped at 1 KB per second",
    attacks: Array.from({ length: 20 }, () => ({ bytes: MB, chunked: false, drip: { bytes: 1024, everyMs: 1_000, giveUpMs: 30_000 } })),
  },
];

/** One attacking request: sends until answered, cut off, done, or (drip) given up. */
function attack(port: number, spec: AttackSpec): Promise<AttackOutcome> {
  const started = performance.now();
  let sent = 0;
  let answer: AttackOutcome["answer"] = "none";
  let finished = false;
  return new Promise((resolve) => {
    const finish = () => {
      if (finished) return;
      finished = true;
      req.destroy();
      resolve({ answer, seconds: (performance.now() - started) / 1000, sentMb: sent / MB });
    };
    const req = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/api/github/webhooks",
      agent: false,
      headers: {
        "content-type": "application/json",
        ...(spec.chunked ? {} : { "content-length": String(spec.bytes) }),
        "x-github-event": "pull_request",
        "x-github-delivery": `attack-${Math.random().toString(36).slice(2)}`,
        "x-hub-signature-256": FORGED,
      },
    });
    req.on("response", (res) => {
      answer = res.statusCode ?? 0;
      res.resume();
      finish();
    });
    req.on("error", () => {
      if (answer === "none") answer = "reset";
      finish();
    });
    req.flushHeaders();
    void (async () => {
      const block = Buffer.alloc(spec.drip?.bytes ?? 64 * 1024, 0x20);
      const giveUpAt = spec.drip ? started + spec.drip.giveUpMs : Infinity;
      while (!finished && sent < spec.bytes && performance.now() < giveUpAt) {
        const piece = block.subarray(0, Math.min(block.length, spec.bytes - sent));
        sent += piece.length;
        const flowing = req.write(piece);
        if (spec.drip) await sleep(spec.drip.everyMs);
        else if (!flowing) await drained(req);
      }
      if (finished) return;
      if (sent >= spec.bytes) req.end();
      else finish(); // a dripping attacker that was never answered gives up
    })();
  });
}

/** Resolves when the request can take more, or is gone. */
function drained(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off("drain", done);
      req.off("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
  });
}

interface Memory {
  readonly rssMb: number;
  readonly peakMb: number;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

interface ScenarioResult {
  readonly scenario: Scenario;
  readonly before: Memory;
  readonly after: Memory;
  readonly outcomes: readonly AttackOutcome[];
  readonly validDelivery: number;
}

async function runScenario(sim: Simulator, scenario: Scenario, index: number): Promise<ScenarioResult> {
  const passThrough = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith("LONGVIEW_WEBHOOK_") && e[1] !== undefined),
  );
  const longview: LongviewProcess = await startLongview({ ...simulatorEnv(sim), LOG_LEVEL: "warn", ...passThrough });
  try {
    await sleep(1_000);
    const before = memoryOf(longview.pid);
    const outcomes: AttackOutcome[] = [];
    for (let round = 0; round < (scenario.rounds ?? 1); round++) {
      outcomes.push(...(await Promise.all(scenario.attacks.map((spec) => attack(longview.port, spec)))));
    }
    await sleep(SETTLE_MS);
    const after = memoryOf(longview.pid);
    const name = `after-${scenario.name}-${index}`;
    await sim.createRepo({
      owner: "acme",
      name,
      commits: [{ message: "base", files: { "a.js": "1\n" } }],
      branches: { feature: { commits: [{ message: "x", files: { "a.js": "2\n" } }] } },
    });
    const pr = await sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "x" });
    const delivered = await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    return { scenario, before, after, outcomes, validDelivery: delivered.status };
  } finally {
    await longview.stop();
  }
}

function summarize(outcomes: readonly AttackOutcome[]): string {
  const answers = new Map<string, number>();
  for (const o of outcomes) answers.set(String(o.answer), (answers.get(String(o.answer)) ?? 0) + 1);
  const seconds = outcomes.map((o) => o.seconds);
  const sent = outcomes.reduce((n, o) => n + o.sentMb, 0);
  return `${[...answers].map(([a, n]) => `${n}× ${a}`).join(", ")} after ${Math.min(...seconds).toFixed(1)}–${Math.max(...seconds).toFixed(1)} s; ${sent.toFixed(0)} MB sent`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const wanted = (process.env.BENCH_SCENARIOS ?? SCENARIOS.map((s) => s.name).join(",")).split(",").map((s) => s.trim());
const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(", ")} (${SCENARIOS.map((s) => s.name).join(", ")})`);

const sim = await startSimulator();
const results: ScenarioResult[] = [];
try {
  for (const [i, scenario] of SCENARIOS.filter((s) => wanted.includes(s.name)).entries()) {
    process.stdout.write(`  ${scenario.name}: ${scenario.describe}…\n`);
    results.push(await runScenario(sim, scenario, i));
  }
} finally {
  await sim.close();
}

const mb = (n: number) => `${n.toFixed(0)} MB`.padStart(8);
// The peak is the process's high-water mark: it includes start-up, shown as "peak before".
process.stdout.write("\nscenario               before  peak before  peak   after  valid delivery  attackers' answers\n");
for (const r of results) {
  process.stdout.write(
    `${r.scenario.name.padEnd(20)} ${mb(r.before.rssMb)}    ${mb(r.before.peakMb)} ${mb(r.after.peakMb)} ${mb(r.after.rssMb)}  ${String(r.validDelivery).padStart(14)}  ${summarize(r.outcomes)}\n`,
  );
}
