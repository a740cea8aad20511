import fc from "fast-check";
import type { FuzzTarget } from "./targets.js";

/**
 * Runs one fuzz target with fast-check: `runs` generated cases from `seed`,
 * each time-boxed. On a failure the run stops, then the failing case is
 * replayed with shrinking (bounded in time) to report a small counterexample
 * with the seed and path that reproduce it.
 */

export interface TargetReport {
  readonly name: string;
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly ms: number;
  readonly slowestMs: number;
  readonly failure: FuzzFailure | null;
}

export interface FuzzFailure {
  readonly seed: number;
  /** fast-check replay path: `fc.check(property, { seed, path })` runs exactly this case. */
  readonly path: string;
  readonly error: string;
  readonly counterexample: string;
}

export class SlowCaseError extends Error {
  constructor(
    readonly ms: number,
    limitMs: number,
  ) {
    super(`one case took ${Math.round(ms)} ms, over the limit of ${limitMs} ms`);
    this.name = "SlowCaseError";
  }
}

export interface RunOptions {
  readonly runs: number;
  readonly seed: number;
  /** Called before each case with its 0-based index (the watchdog's heartbeat). */
  readonly onCase?: (index: number) => void;
  /** Time allowed for shrinking a counterexample. */
  readonly shrinkMs?: number;
  /** Replays one case (the `path` a failure reported) instead of generating `runs` cases. */
  readonly path?: string;
}

export async function runTarget<T>(target: FuzzTarget<T>, options: RunOptions): Promise<TargetReport> {
  let cases = 0;
  let accepted = 0;
  let rejected = 0;
  let slowestMs = 0;
  const predicate = async (input: T): Promise<void> => {
    options.onCase?.(cases);
    cases++;
    const started = performance.now();
    const outcome = await target.check(input);
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > target.caseLimitMs) throw new SlowCaseError(ms, target.caseLimitMs);
    if (outcome === "accepted") accepted++;
    else rejected++;
  };

  const started = performance.now();
  const run = await fc.check(fc.asyncProperty(target.arbitrary, predicate), {
    numRuns: options.runs,
    seed: options.seed,
    endOnFailure: true,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const ms = performance.now() - started;
  const report = { name: target.name, cases, accepted, rejected, ms, slowestMs };
  if (!run.failed) return { ...report, failure: null };

  if (run.errorInstance instanceof SlowCaseError) {
    return {
      ...report,
      failure: {
        seed: run.seed,
        path: run.counterexamplePath ?? "",
        error: describeError(run.errorInstance),
        counterexample: fc.stringify(run.counterexample).slice(0, 2_000),
      },
    };
  }
  // Replay the failing case with shrinking, within a time limit, for a smaller counterexample.
  const shrunk = await fc.check(
    fc.asyncProperty(target.arbitrary, async (input: T) => void (await target.check(input))),
    { seed: run.seed, path: run.counterexamplePath ?? undefined, interruptAfterTimeLimit: options.shrinkMs ?? 30_000 },
  );
  const best = shrunk.failed ? shrunk : run;
  return {
    ...report,
    failure: {
      seed: run.seed,
      path: best.counterexamplePath ?? run.counterexamplePath ?? "",
      error: describeError(best.errorInstance ?? run.errorInstance),
      counterexample: fc.stringify(best.counterexample ?? run.counterexample).slice(0, 2_000),
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${(error.stack ?? "").split("\n").slice(1, 6).join("\n")}`;
  return String(error);
}
