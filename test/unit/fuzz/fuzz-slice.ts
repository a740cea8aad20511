import { expect } from "@jest/globals";
import { runTarget, type TargetReport } from "../../../tools/fuzz/run-target.js";
import { TARGETS, type FuzzTarget } from "../../../tools/fuzz/targets.js";

/** The fixed seed of the slices in `npm test`: the same cases every run. `npm run fuzz` explores new ones. */
export const FUZZ_SEED = 20_250_101;

export function target(name: string): FuzzTarget {
  const found = TARGETS.find((t) => t.name === name);
  if (!found) throw new Error(`no fuzz target ${name}`);
  return found;
}

/** Runs a slice of a target and fails with the counterexample, its seed and path. */
export async function expectSliceToPass(name: string, runs: number): Promise<TargetReport> {
  const t = target(name);
  await t.setup?.();
  const report = await runTarget(t, { runs, seed: FUZZ_SEED, shrinkMs: 5_000 });
  const failure = report.failure
    ? `seed ${report.failure.seed}, path ${report.failure.path}\n${report.failure.error}\ncounterexample: ${report.failure.counterexample}`
    : null;
  expect(failure).toBeNull();
  expect(report.cases).toBe(runs);
  return report;
}
