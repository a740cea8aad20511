import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { CheckAnnotation, CiPermission, CommitCheck, CommitChecks } from "../../../src/github/ci-checks.js";
import type { GitHub } from "../../../src/github/client.js";
import { createGitHubHost, type GitHubHost } from "../../../src/github/host.js";
import { newlyFailing } from "../../../src/fix/ci-compare.js";
import { startSimulator, type Simulator } from "../../../tools/github-simulator/index.js";
import { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { TestOctokit, silentLog } from "../../helpers/github.js";
import { installationToken, releaseFetchFromNock } from "../../simulator/helpers.js";

/**
 * What a fix loop reads of the repository's own CI, through the in-memory
 * host and through `createGitHubHost` over the simulator (`sim.ci`): other
 * apps' check runs on a commit (never Longview's own), and why one failed —
 * output, annotations and the GitHub Actions job log, bounded, cleaned and
 * redacted; a missing permission or an expired log as a result, not a throw.
 */

releaseFetchFromNock();

const SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const FAILING_LOG = ["\u001b[31mFAIL\u001b[0m test/calc.test.js", "  expected 0, received NaN", `  token=${SECRET}`].join("\n");
const TEST_ANNOTATION: CheckAnnotation = {
  path: "src/calc.js",
  startLine: 1,
  endLine: 1,
  level: "failure",
  title: null,
  message: "expected 0, received NaN",
};
/** What the Actions runner adds to a failing job's annotations. */
const RUNNER_ANNOTATION: CheckAnnotation = {
  path: ".github",
  startLine: 1,
  endLine: 1,
  level: "failure",
  title: null,
  message: "Process completed with exit code 1.",
};

interface CiCheck {
  readonly name: string;
  /** Default GitHub Actions. */
  readonly app?: string;
  readonly conclusion: "success" | "failure" | "cancelled";
  readonly title?: string;
  readonly summary?: string;
  readonly annotations?: readonly CheckAnnotation[];
  readonly log?: string;
}

interface World {
  readonly host: GitHubHost;
  readonly repo: { owner: string; repo: string };
  readonly parentSha: string;
  readonly fixSha: string;
  /** CI reported `check` on `sha` (completed). */
  report(sha: string, check: CiCheck): Promise<void>;
  /** An Actions check that has started on `sha` and not finished. */
  start(sha: string, name: string): Promise<void>;
  /** The installation lacks `permission` for the next read that needs it. */
  withhold(permission: CiPermission): void;
}

let sim: Simulator;
let worlds = 0;

const FORBIDDEN = { status: 403, body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" } };

async function simulatorWorld(name: string): Promise<World> {
  const full = `acme/${name}` as const;
  await sim.createRepo({ owner: "acme", name, commits: [{ message: "base", files: { "src/calc.js": "base\n" } }] });
  const parentSha = (await sim.pushCommit(full, "main", { message: "parent", files: { "src/calc.js": "parent\n" } })).sha;
  const fixSha = (await sim.pushCommit(full, "main", { message: "fix", files: { "src/calc.js": "fix\n" } })).sha;
  const token = await installationToken(sim, sim.installationId("acme")!);
  const host = createGitHubHost(new TestOctokit({ auth: { token }, baseUrl: sim.url }) as GitHub, { botLogin: () => Promise.resolve(sim.app.botLogin) });
  return {
    host,
    repo: { owner: "acme", repo: name },
    parentSha,
    fixSha,
    report: async (sha, check) => {
      const annotations = (check.annotations ?? []).map((a) => ({
        path: a.path,
        start_line: a.startLine,
        end_line: a.endLine,
        annotation_level: a.level as "failure",
        message: a.message ?? "",
      }));
      await sim.ci.report(
        full,
        sha,
        { conclusion: check.conclusion, title: check.title, summary: check.summary, annotations, log: check.log },
        { name: check.name, ...(check.app ? { app: { slug: check.app } } : {}) },
      );
    },
    start: async (sha, checkName) => {
      const definition = sim.ci.define(full, { name: checkName, completion: "manual" });
      await sim.ci.run(full, sha);
      definition.remove();
    },
    withhold: (permission) => {
      const route = permission === "checks: read" ? "/repos/{owner}/{repo}/commits/{ref}/check-runs" : "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs";
      sim.faults.inject({ method: "GET", route, ...FORBIDDEN });
    },
  };
}

function fakeWorld(name: string): World {
  const fake = new FakeGitHubHost();
  const repo = { owner: "acme", repo: name };
  fake.addRepo(repo, { files: { "src/calc.js": "base\n" } });
  const parentSha = fake.push(repo, "main", { "src/calc.js": "parent\n" }, "parent");
  const fixSha = fake.push(repo, "main", { "src/calc.js": "fix\n" }, "fix");
  return {
    host: fake,
    repo,
    parentSha,
    fixSha,
    report: (sha, check) => {
      const isActions = check.app === undefined;
      const failing = check.conclusion === "failure";
      fake.addCiCheck(repo, sha, {
        name: check.name,
        ...(check.app ? { app: check.app } : {}),
        conclusion: check.conclusion,
        output: { title: check.title ?? null, summary: check.summary ?? null },
        annotations: [...(check.annotations ?? []), ...(isActions && failing ? [RUNNER_ANNOTATION] : [])],
        // Framed as the runner prints it (what the simulator serves).
        log: isActions
          ? [`##[group]Run npm test`, ...(check.log ?? "").split("\n"), "##[endgroup]", ...(failing ? ["##[error]Process completed with exit code 1."] : [])]
              .map((line) => `2026-12-05T04:00:00.1230000Z ${line}`)
              .join("\n")
          : null,
      });
      return Promise.resolve();
    },
    start: (sha, checkName) => {
      fake.addCiCheck(repo, sha, { name: checkName, status: "in_progress", log: null });
      return Promise.resolve();
    },
    // One read refused, as the simulator's one-shot fault.
    withhold: (permission) => fake.withhold(permission, 1),
  };
}

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  expect(sim.violations).toEqual([]);
  await sim.close();
});

const kinds: [string, (name: string) => World | Promise<World>][] = [
  ["the fake", fakeWorld],
  ["the simulator", simulatorWorld],
];

const shape = (c: CommitCheck) => ({ name: c.name, app: c.app, status: c.status, conclusion: c.conclusion });

function checksOf(result: CommitChecks): CommitCheck[] {
  if (result.kind !== "checks") throw new Error(`expected checks, got ${JSON.stringify(result)}`);
  return result.checks;
}

describe.each(kinds)("GitHubHost contract, what a CI-aware fix reads: %s", (_kind, makeWorld) => {
  let world: World;

  beforeAll(async () => {
    world = await makeWorld(`ci-${++worlds}`);
    const { parentSha, fixSha } = world;
    await world.report(parentSha, { name: "test", conclusion: "success", log: "PASS test/calc.test.js" });
    await world.report(parentSha, { name: "lint", app: "other-ci", conclusion: "failure", title: "3 problems" });
    await world.report(fixSha, {
      name: "test",
      conclusion: "failure",
      title: "1 failed",
      summary: "ratio(0, 0) returned NaN",
      annotations: [TEST_ANNOTATION],
      log: FAILING_LOG,
    });
    await world.report(fixSha, { name: "lint", app: "other-ci", conclusion: "failure", title: "3 problems" });
    await world.start(fixSha, "build");
    // Longview's own check run on the fix commit is not CI's.
    await world.host.openCheckRun(world.repo, { name: "Longview", headSha: fixSha, externalId: "1", log: silentLog });
  });

  test("other apps' checks on a commit, and which the fix newly broke", async () => {
    const parent = checksOf(await world.host.commitChecks(world.repo, world.parentSha));
    const fix = checksOf(await world.host.commitChecks(world.repo, world.fixSha));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(fix.map(shape).sort(byName)).toEqual([
      { name: "build", app: "github-actions", status: "in_progress", conclusion: null },
      { name: "lint", app: "other-ci", status: "completed", conclusion: "failure" },
      { name: "test", app: "github-actions", status: "completed", conclusion: "failure" },
    ]);
    expect(fix.find((c) => c.name === "test")?.output).toMatchObject({ title: "1 failed", summary: "ratio(0, 0) returned NaN" });

    const compared = newlyFailing(parent, fix);
    expect(compared.newlyFailing.map((c) => c.name)).toEqual(["test"]);
    expect(compared.alreadyFailing.map((c) => c.name)).toEqual(["lint"]);
    expect(compared.pending.map((c) => c.name)).toEqual(["build"]);
  });

  test("a failed Actions check: output, annotations and the job log's tail without timestamps, colours or secrets", async () => {
    const failed = checksOf(await world.host.commitChecks(world.repo, world.fixSha)).find((c) => c.name === "test")!;
    const details = await world.host.checkFailureDetails(world.repo, failed);
    if (details.kind !== "details") throw new Error(JSON.stringify(details));
    expect(details.output).toMatchObject({ title: "1 failed", summary: "ratio(0, 0) returned NaN" });
    expect(details.annotations).toEqual([TEST_ANNOTATION, RUNNER_ANNOTATION]);
    expect(details.annotationsTruncated).toBe(false);
    if (details.log.kind !== "log") throw new Error(JSON.stringify(details.log));
    const lines = details.log.text.split("\n");
    expect(lines).toContain("FAIL test/calc.test.js");
    expect(lines).toContain("  expected 0, received NaN");
    expect(lines).toContain("##[error]Process completed with exit code 1.");
    expect(details.log.text).not.toContain(SECRET);
    expect(details.log.text).toContain("[REDACTED:");
    expect(details.log.text).not.toMatch(/\u001b|^\d{4}-\d{2}-\d{2}T/m);
    expect(details.log.truncated).toBe(false);
  });

  test("another CI's check has no job log; an unfinished Actions job's log is gone, not an error", async () => {
    const fix = checksOf(await world.host.commitChecks(world.repo, world.fixSha));
    const lint = await world.host.checkFailureDetails(
      world.repo,
      fix.find((c) => c.name === "lint")!,
    );
    expect(lint).toMatchObject({ kind: "details", output: { title: "3 problems" }, annotations: [], log: { kind: "none" } });
    const build = await world.host.checkFailureDetails(
      world.repo,
      fix.find((c) => c.name === "build")!,
    );
    expect(build).toMatchObject({ kind: "details", log: { kind: "gone", status: 404 } });
  });

  test("a long job log: only its last 64 KiB are read back, with the end of the job", async () => {
    const log = Array.from({ length: 8000 }, (_, i) => `step ${i}: ${"x".repeat(40)}`).join("\n");
    await world.report(world.parentSha, { name: "long", conclusion: "failure", log });
    const long = checksOf(await world.host.commitChecks(world.repo, world.parentSha)).find((c) => c.name === "long")!;
    const details = await world.host.checkFailureDetails(world.repo, long);
    if (details.kind !== "details" || details.log.kind !== "log") throw new Error(JSON.stringify(details));
    expect(details.log.truncated).toBe(true);
    expect(details.log.bytes).toBeGreaterThan(log.length);
    expect(Buffer.byteLength(details.log.text)).toBeLessThanOrEqual(64 * 1024);
    const lines = details.log.text.split("\n");
    expect(lines).toContain("##[error]Process completed with exit code 1.");
    expect(lines[0]).toMatch(/^step \d+: x+$/);
    expect(lines).toContain(`step 7999: ${"x".repeat(40)}`);
  });

  test("without checks: read or actions: read, a result that names the permission", async () => {
    world.withhold("checks: read");
    expect(await world.host.commitChecks(world.repo, world.fixSha)).toEqual({ kind: "missing-permission", permission: "checks: read" });
    const failed = checksOf(await world.host.commitChecks(world.repo, world.fixSha)).find((c) => c.name === "test")!;
    world.withhold("actions: read");
    const details = await world.host.checkFailureDetails(world.repo, failed);
    expect(details).toMatchObject({ kind: "details", log: { kind: "missing-permission", permission: "actions: read" } });
  });
});
