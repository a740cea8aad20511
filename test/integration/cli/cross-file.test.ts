import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { JsonReportContract } from "../../unit/cli/json-contract.js";
import { PLANTED, plantedToolModel } from "../../helpers/planted-cross-file.js";
import { scriptedOpenAI, type ScriptedOpenAI } from "../../helpers/scripted-openai.js";

/**
 * The planted cross-file bug through the CLI as users run it (a child
 * process, tsx from the sources) on a git range: the repository at the head
 * commit gives the window its impact section, and the scripted tool-using
 * model reads the unchanged caller through the CLI's git snapshot.
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const git = promisify(execFile);

let dir: string;
let base: string;
let head: string;
let server: ScriptedOpenAI;
let endpoint: { baseUrl: string; close(): Promise<void> };

async function commit(files: Readonly<Record<string, string>>, message: string): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const run = (...args: string[]) =>
    git("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
  await run("add", "-A");
  await run("commit", "-q", "-m", message);
  return (await run("rev-parse", "HEAD")).stdout.trim();
}

function longview(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/cli/main.ts"), ...args],
      { cwd: dir, env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        if (code === null) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "longview-cross-file-"));
  await git("git", ["init", "-q", "-b", "main"], { cwd: dir });
  base = await commit(PLANTED.base, "base");
  head = await commit(PLANTED.head, "checkToken takes options");
  server = scriptedOpenAI(plantedToolModel);
  endpoint = await server.listen();
}, 30_000);

afterAll(async () => {
  await endpoint?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("longview review on a changed signature with an unchanged caller", () => {
  test("the model reads the caller through its tools and the break is reported", async () => {
    const run = await longview(["review", "--base", base, "--head", head, "--format", "json"], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: endpoint.baseUrl,
      LONGVIEW_OPENAI_MAX_RETRIES: "0",
    });
    expect(run.stderr).toBe("");
    const report = JsonReportContract.parse(JSON.parse(run.stdout));

    const windows = server.requests.filter((r) => r.tools.length > 0);
    expect(windows[0]!.userTexts.join("\n")).toContain(`${PLANTED.callerPath}:${PLANTED.callerLine}`);
    const read = windows.flatMap((r) => r.toolResults).find((t) => t.name === "read_file");
    expect(read?.output).toContain(PLANTED.callerText);
    expect(read?.output).not.toContain(PLANTED.secret);

    expect(report.findings).toContainEqual(
      expect.objectContaining({ path: PLANTED.changedPath, line: PLANTED.changedLine, severity: "P1", category: "security", source: "agent" }),
    );
    // The walkthrough names the changed signature and its unchanged caller, without a model.
    const changed = report.walkthrough?.apiChanges.find((c) => c.symbol === "checkToken");
    expect(changed).toMatchObject({ path: PLANTED.changedPath, kind: "signature-changed" });
    expect(changed?.callers).toBeGreaterThanOrEqual(1);
    expect(changed?.examples).toContain(`${PLANTED.callerPath}:${PLANTED.callerLine}`);
    expect(run.code).toBe(1);
  }, 60_000);
});
