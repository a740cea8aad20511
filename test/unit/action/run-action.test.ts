import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { runAction } from "../../../src/action/run-action.js";

/**
 * The Action's failures before any review: each one line on the log as an
 * `::error::` command, exit code 2 (not 1, which says "the gate failed"), and
 * no request to GitHub (the API URL points nowhere that answers).
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "longview-action-unit-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runAction({
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { GITHUB_API_URL: "http://127.0.0.1:9/api/v3", ...env },
  });
  return { code, stdout, stderr };
}

async function eventFile(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const OPENED = JSON.stringify({
  action: "opened",
  number: 7,
  pull_request: { number: 7, head: { sha: "a".repeat(40), repo: { full_name: "acme/app" } }, base: { repo: { full_name: "acme/app" } } },
});

describe("runAction before the review", () => {
  test("outside a workflow: names what is missing", async () => {
    const { code, stdout } = await run({});
    expect(code).toBe(2);
    expect(stdout).toMatch(/^::error title=Longview::Longview: GITHUB_EVENT_NAME is not set/);
    expect(stdout).toContain("no GitHub token");
  });

  test("an event file that is missing or not JSON", async () => {
    const missing = await run({ GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: join(dir, "nope.json"), GITHUB_TOKEN: "t" });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("cannot read the event at GITHUB_EVENT_PATH");
    const garbage = await run({ GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: await eventFile("garbage.json", "{"), GITHUB_TOKEN: "t" });
    expect(garbage.code).toBe(2);
    expect(garbage.stdout).toContain("is not JSON");
  });

  test("a fail-on that cannot be read, and an event from another repository, fail before any request; the summary says why", async () => {
    const summary = join(dir, "summary.md");
    await writeFile(summary, "");
    const path = await eventFile("opened.json", OPENED);
    const base = { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: path, GITHUB_TOKEN: "t", GITHUB_STEP_SUMMARY: summary };
    const failOn = await run({ ...base, GITHUB_REPOSITORY: "acme/app", INPUT_FAIL_ON: "P9" });
    expect(failOn.code).toBe(2);
    expect(failOn.stdout).toContain("fail-on expects P0..P3");
    const elsewhere = await run({ ...base, GITHUB_REPOSITORY: "other/repo" });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toContain("the workflow runs in other/repo");
    expect(await readFile(summary, "utf8")).toContain("Longview could not review it");
  });

  test("an error message with a line break stays one command line", async () => {
    const path = await eventFile("bad\nname::add-mask::x.json", OPENED);
    const { code, stdout } = await run({ GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: `${path}-missing`, GITHUB_TOKEN: "t" });
    expect(code).toBe(2);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(stdout).toMatch(/^::error title=Longview::Longview: cannot read the event/);
    expect(stdout).not.toMatch(/^::add-mask/m);
  });
});
