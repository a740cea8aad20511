import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { z } from "zod";
import { createGitFixture, type GitFixture } from "./git-fixture.js";
import { runCli } from "./run-cli.js";

/** `planToJson`'s shape (src/context/format-plan.ts), as the CLI prints it. */
const PlanJsonShape = z
  .object({
    windows: z
      .array(
        z.object({
          id: z.string().min(1),
          wave: z.number().int().min(0),
          tokens: z.object({ global: z.number(), memory: z.number(), local: z.number(), total: z.number().positive() }),
          files: z.array(z.string()),
          hunks: z.number().int().positive(),
          text: z.string().min(1),
        }),
      )
      .min(1),
    coverage: z.object({
      changedLines: z.number().int(),
      reviewedLines: z.number().int(),
      foldedLines: z.number().int(),
      summarizedLines: z.number().int(),
      triagedLines: z.number().int(),
      skippedLines: z.number().int(),
      skipped: z.array(z.object({ path: z.string(), reason: z.string(), lines: z.number() })),
    }),
    refs: z.array(z.string()),
    stats: z.object({ diffTokens: z.number(), tokensSent: z.number(), compaction: z.record(z.string(), z.number()), ms: z.number() }),
  })
  .strict();

let repo: GitFixture;
let diffText: string;
beforeAll(async () => {
  repo = await createGitFixture();
  diffText = await repo.git("diff", repo.base, repo.head);
});
afterAll(async () => {
  await repo.cleanup();
});

describe("longview context", () => {
  test("--format json prints the window plan of a diff", async () => {
    const run = await runCli(["context", "--diff", "-", "--repo", repo.dir, "--format", "json"], { stdin: diffText });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const plan = PlanJsonShape.parse(JSON.parse(run.stdout));
    expect(plan.windows.flatMap((w) => w.files).sort()).toEqual(["src/old.js", "src/server.js"]);
    expect(plan.coverage.skipped).toEqual([expect.objectContaining({ path: "package-lock.json", reason: "lockfile" })]);
    const c = plan.coverage;
    expect(c.reviewedLines + c.foldedLines + c.summarizedLines + c.triagedLines + c.skippedLines).toBe(c.changedLines);
    for (const w of plan.windows) expect(w.tokens.total).toBeLessThanOrEqual(24_000);
    // What the model is sent, so anyone can check it.
    expect(plan.windows.map((w) => w.text).join("")).toContain("## src/server.js");
  });

  test("--budget shapes the plan; the same plan the review reports", async () => {
    const small = PlanJsonShape.parse(
      JSON.parse((await runCli(["context", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json", "--budget", "3000"])).stdout),
    );
    for (const w of small.windows) expect(w.tokens.total).toBeLessThanOrEqual(3_000);
    const review = JSON.parse(
      (await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json", "--budget", "3000"])).stdout,
    ) as { stats: { windows: number; tokensSent: number } };
    expect(review.stats.windows).toBe(small.windows.length);
    // The review here runs offline (no model, so nothing is redacted); context plans the model's redacted view,
    // where the fixture's hard-coded password is a placeholder: a few tokens apart, no more.
    expect(Math.abs(review.stats.tokensSent - small.stats.tokensSent)).toBeLessThanOrEqual(5);
  });

  test("text format is the plan summary", async () => {
    const run = await runCli(["context", "--diff", "-", "--repo", repo.dir], { stdin: diffText });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ window\(s\) in \d+ wave\(s\); \d+ of \d+ changed lines reviewed/);
    expect(run.stdout).toMatch(/package-lock\.json {2}lockfile/);
    expect(run.stdout.endsWith("\n")).toBe(true);
  });

  test("a budget too small for any window is a usage error", async () => {
    const run = await runCli(["context", "--diff", "-", "--budget", "2000"], { stdin: diffText });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^longview: A window of 2000 tokens leaves \d+ for code .*\n$/);
  });

  test("usage errors", async () => {
    expect(await runCli(["context", "--diff", "-", "--format", "sarif"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'longview: invalid --format "sarif" (expected text, json)\n',
    });
  });
});
