import { describe, expect, test } from "@jest/globals";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { loadEnv } from "../../../src/config/env.js";
import { FIX_ALL_ACTION } from "../../../src/fix/fix-all-action.js";
import { reviewPullRequest } from "../../../src/review/review-pull-request.js";
import type { FakeCheckRun } from "../../helpers/fake-github-host.js";
import { silentLog } from "../../helpers/github.js";
import { HEAD, shop } from "./github-mock.js";

/** A completed review offers the "Fix all" button exactly when findings fail the gate. */

async function completedCheckRun(source: string): Promise<FakeCheckRun> {
  const { fake, ref } = shop({ files: { "src/calc.js": source } });
  await reviewPullRequest(fake, { ref }, { env: loadEnv({}), reviewer: null, analyzers: createDefaultAnalyzers() }, silentLog);
  const run = fake.checkRun(HEAD)!;
  expect(run.status).toBe("completed");
  return run;
}

describe("the review's check run", () => {
  test('offers "Fix all" when a finding fails the gate', async () => {
    const completed = await completedCheckRun("export function f(r) {\n  return r === NaN;\n}\n");
    expect(completed).toMatchObject({
      conclusion: "failure",
      actions: [{ label: "Fix all", description: "Commit fixes for the blocking findings", identifier: "fix_all" }],
    });
    expect(FIX_ALL_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(FIX_ALL_ACTION.description.length).toBeLessThanOrEqual(40);
  });

  test("offers nothing when the gate passes", async () => {
    const completed = await completedCheckRun("export function f(r) {\n  return Number.isNaN(r);\n}\n");
    expect(completed.conclusion).toBe("success");
    expect(completed.actions).toEqual([]);
  });
});
