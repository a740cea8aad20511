/**
 * `npm run fuzz`: property-based fuzzing of the diff parser, the line map,
 * the window builder and the command parser (tools/fuzz/targets.ts).
 *
 *   npm run fuzz                       # every target, its default number of cases (≥ 100k in total)
 *   npm run fuzz -- --seed 42          # reproducible
 *   npm run fuzz -- --target line-map --runs 50000
 *   npm run fuzz -- --scale 0.1        # a tenth of the default cases
 *   npm run fuzz -- --target window-plan --seed 2 --path 56   # replay the case a failure reported
 *
 * Targets run in a worker thread watched by this one: a case that never
 * returns (a hang, not just a slow case) is stopped and reported with the seed
 * and path that reproduce it. Exit code 1 when any target failed.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { runTarget, type TargetReport } from "../tools/fuzz/run-target.js";
import { TARGETS } from "../tools/fuzz/targets.js";

interface Plan {
  readonly targets: readonly { readonly name: string; readonly runs: number }[];
  readonly seed: number;
  readonly path?: string;
}

interface WorkerInput extends Plan {
  /** [target index in plan, case index, cases done]: written by the worker, read by the watchdog. */
  readonly progress: SharedArrayBuffer;
}

type WorkerMessage = { readonly kind: "report"; readonly report: TargetReport };

if (isMainThread) {
  process.exitCode = await main(process.argv.slice(2));
} else {
  await work(workerData as WorkerInput);
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  const selected = TARGETS.filter((t) => options.targets.length === 0 || options.targets.some((name) => t.name.includes(name)));
  if (selected.length === 0) {
    process.stderr.write(`no target matches ${options.targets.join(", ")}; targets: ${TARGETS.map((t) => t.name).join(", ")}\n`);
    return 2;
  }
  const plan: Plan = {
    seed: options.seed,
    targets: selected.map((t) => ({ name: t.name, runs: options.path !== undefined ? 1 : (options.runs ?? Math.max(1, Math.round(t.runs * options.scale))) })),
    ...(options.path !== undefined ? { path: options.path } : {}),
  };
  process.stdout.write(`fuzzing ${plan.targets.length} targets, seed ${plan.seed}\n`);

  const reports: TargetReport[] = [];
  let remaining = plan.targets;
  const started = performance.now();
  while (remaining.length > 0) {
    const outcome = await runWorker({ ...plan, targets: remaining }, (r) => {
      reports.push(r);
      printReport(r);
    });
    if (outcome.kind === "done") break;
    // The worker hung on a case: report it, continue with the targets after it.
    const hung = remaining[outcome.targetIndex]!;
    const target = TARGETS.find((t) => t.name === hung.name)!;
    const report: TargetReport = {
      name: hung.name,
      cases: outcome.caseIndex + 1,
      accepted: 0,
      rejected: 0,
      ms: outcome.ms,
      slowestMs: outcome.stalledMs,
      failure: {
        seed: plan.seed,
        path: String(outcome.caseIndex),
        error: `Hang: case ${outcome.caseIndex} did not return within ${Math.round(outcome.stalledMs)} ms (case limit ${target.caseLimitMs} ms); the worker was stopped`,
        counterexample: "(replay with the seed and path to see it)",
      },
    };
    reports.push(report);
    printReport(report);
    remaining = remaining.slice(outcome.targetIndex + 1);
  }

  const totalCases = reports.reduce((n, r) => n + r.cases, 0);
  const seconds = (performance.now() - started) / 1000;
  const failures = reports.filter((r) => r.failure !== null);
  process.stdout.write(
    `\n${totalCases.toLocaleString("en-US")} cases in ${seconds.toFixed(1)} s (${Math.round(totalCases / seconds).toLocaleString("en-US")} cases/s), ` +
      `${failures.length === 0 ? "no failures" : `${failures.length} failing target(s)`}; seed ${plan.seed}\n`,
  );
  return failures.length === 0 ? 0 : 1;
}

type WorkerOutcome =
  | { readonly kind: "done" }
  | { readonly kind: "hung"; readonly targetIndex: number; readonly caseIndex: number; readonly stalledMs: number; readonly ms: number };

/** Runs the plan in a worker; stops it when one case makes no progress for longer than its target allows. */
function runWorker(plan: Plan, onReport: (report: TargetReport) => void): Promise<WorkerOutcome> {
  const progress = new SharedArrayBuffer(12);
  const view = new Int32Array(progress);
  // Workers do not inherit tsx's loader for their entry module: register it, then load this file.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { ...plan, progress } satisfies WorkerInput });
  return new Promise((resolve, reject) => {
    let hung: WorkerOutcome | null = null;
    let lastSeen = -1;
    let lastChange = performance.now();
    let targetStarted = performance.now();
    let lastTarget = -1;
    const timer = setInterval(() => {
      const [targetIndex, , done] = [Atomics.load(view, 0), Atomics.load(view, 1), Atomics.load(view, 2)];
      const marker = targetIndex * 1e9 + done;
      if (targetIndex !== lastTarget) {
        lastTarget = targetIndex;
        targetStarted = performance.now();
      }
      if (marker !== lastSeen) {
        lastSeen = marker;
        lastChange = performance.now();
        return;
      }
      const target = TARGETS.find((t) => t.name === plan.targets[targetIndex]?.name);
      const stalledMs = performance.now() - lastChange;
      // Setup (grammar loading) and shrinking happen between cases; allow for them.
      if (target && stalledMs > Math.max(60_000, target.caseLimitMs * 4)) {
        clearInterval(timer);
        hung = { kind: "hung", targetIndex, caseIndex: Atomics.load(view, 1), stalledMs, ms: performance.now() - targetStarted };
        void worker.terminate();
      }
    }, 500);
    worker.on("message", (message: WorkerMessage) => onReport(message.report));
    worker.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    worker.on("exit", () => {
      clearInterval(timer);
      resolve(hung ?? { kind: "done" });
    });
  });
}

async function work(input: WorkerInput): Promise<void> {
  const view = new Int32Array(input.progress);
  for (const [i, planned] of input.targets.entries()) {
    const target = TARGETS.find((t) => t.name === planned.name)!;
    Atomics.store(view, 0, i);
    Atomics.store(view, 1, 0);
    Atomics.store(view, 2, 0);
    await target.setup?.();
    const report = await runTarget(target, {
      runs: planned.runs,
      seed: input.seed,
      ...(input.path !== undefined ? { path: input.path } : {}),
      onCase: (index) => {
        Atomics.store(view, 1, index);
        Atomics.add(view, 2, 1);
      },
    });
    parentPort!.postMessage({ kind: "report", report } satisfies WorkerMessage);
  }
}

function printReport(r: TargetReport): void {
  const rate = r.ms > 0 ? Math.round((r.cases / r.ms) * 1000) : 0;
  const split = r.rejected > 0 ? ` (${r.rejected.toLocaleString("en-US")} rejected with a reason)` : "";
  process.stdout.write(
    `${r.failure ? "FAIL" : "ok  "} ${r.name.padEnd(24)} ${r.cases.toLocaleString("en-US").padStart(8)} cases${split} in ${(r.ms / 1000).toFixed(1)} s, ` +
      `${rate.toLocaleString("en-US")} cases/s, slowest case ${Math.round(r.slowestMs)} ms\n`,
  );
  if (r.failure) {
    process.stdout.write(
      `     seed ${r.failure.seed}, path ${JSON.stringify(r.failure.path)}\n` +
        `     ${r.failure.error.replace(/\n/g, "\n     ")}\n` +
        `     counterexample: ${r.failure.counterexample}\n`,
    );
  }
}

interface Options {
  readonly targets: readonly string[];
  readonly seed: number;
  readonly scale: number;
  readonly runs: number | undefined;
  readonly path: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const targets: string[] = [];
  let seed = Date.now() % 2 ** 31;
  let scale = 1;
  let runs: number | undefined;
  let path: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--target") targets.push(value());
    else if (arg === "--seed") seed = Number(value());
    else if (arg === "--scale") scale = Number(value());
    else if (arg === "--runs") runs = Number(value());
    else if (arg === "--path") path = value();
    else throw new Error(`unknown option ${arg} (expected --target, --seed, --scale, --runs, --path)`);
  }
  for (const [name, n] of [
    ["--seed", seed],
    ["--scale", scale],
    ["--runs", runs ?? 1],
  ] as const) {
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
  }
  if (path !== undefined && targets.length !== 1) throw new Error("--path replays one case: name its --target");
  return { targets, seed, scale, runs, path };
}
