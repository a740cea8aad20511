import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { JsonReportContract, SarifContract } from "../../unit/cli/json-contract.js";
import { createGitFixture, LINES, type GitFixture } from "./git-fixture.js";

/**
 * The CLI as users run it, in a child process: through tsx from the sources,
 * and through the real `bin/longview.js` shim on a fresh build of dist/.
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runProcess(args: readonly string[], options: { stdin?: string; cwd?: string } = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    // Offline: the child must not inherit a model key from the developer's shell.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = execFile(process.execPath, [...args], { cwd: options.cwd ?? ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      if (code === null) reject(error);
      else resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? "");
  });
}

let repo: GitFixture;
let scratch: string;
let diffText: string;
let diffPath: string;

beforeAll(async () => {
  repo = await createGitFixture();
  scratch = await mkdtemp(join(tmpdir(), "longview-cli-process-"));
  diffText = await repo.git("diff", repo.base, repo.head);
  diffPath = join(scratch, "change.diff");
  await writeFile(diffPath, diffText);
});
afterAll(async () => {
  await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe("tsx src/cli/main.ts", () => {
  test("reviews a diff from stdin; the exit code is the gate's", async () => {
    const run = await runProcess(
      [
        join(ROOT, "node_modules/tsx/dist/cli.mjs"),
        join(ROOT, "src/cli/main.ts"),
        "review",
        "--diff",
        "-",
        "--repo",
        repo.dir,
        "--format",
        "json",
        "--fail-on",
        "P3:security",
      ],
      {
        stdin: diffText,
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JsonReportContract.parse(JSON.parse(run.stdout));
    expect(report.findings.some((f) => f.path === "src/server.js" && f.line === LINES.eval && f.placement === "inline")).toBe(true);
  });

  test("file names with line terminators and control characters: a report, no crash", async () => {
    // git quotes such names in C style; each file commits a secret and calls eval, so both analyzers read it.
    const names = ["a\\nb.js", "c\\rd.js", "e\\342\\200\\250f.js", "g\\342\\200\\251h.js", "i\\033[31mj.js", "k\\001l.js"];
    const paths = ["a\nb.js", "c\rd.js", "e\u2028f.js", "g\u2029h.js", "i\u001b[31mj.js", "k\u0001l.js"];
    const content = 'const token = "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO";\neval(process.argv[2]);\n';
    const dir = join(scratch, "hostile-names");
    await mkdir(dir, { recursive: true });
    for (const path of paths) await writeFile(join(dir, path), content);
    const diff = names
      .map((name) =>
        [
          `diff --git "a/${name}" "b/${name}"`,
          "new file mode 100644",
          "--- /dev/null",
          `+++ "b/${name}"`,
          "@@ -0,0 +1,2 @@",
          '+const token = "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO";',
          "+eval(process.argv[2]);",
        ].join("\n"),
      )
      .join("\n");
    const run = await runProcess(
      [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/cli/main.ts"), "review", "--diff", "-", "--repo", dir, "--format", "json"],
      {
        stdin: `${diff}\n`,
      },
    );
    expect(run.stderr).toBe("");
    const report = JsonReportContract.parse(JSON.parse(run.stdout));
    for (const path of paths) {
      expect(
        report.findings
          .filter((f) => f.path === path)
          .map((f) => f.source)
          .sort(),
      ).toEqual(["longview-rules", "secretlint"]);
    }
    // The committed token and the eval fail the default gate: exit 1 is the gate's verdict, not a crash.
    expect(run.code).toBe(1);
  });
});

describe("bin/longview.js on a fresh build", () => {
  // A private copy of the package layout (bin/, dist/, package.json), so the shared dist/ is left alone.
  let pkg: string;
  beforeAll(async () => {
    pkg = join(scratch, "pkg");
    await mkdir(join(pkg, "bin"), { recursive: true });
    await copyFile(join(ROOT, "bin/longview.js"), join(pkg, "bin/longview.js"));
    await copyFile(join(ROOT, "package.json"), join(pkg, "package.json"));
    await symlink(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const build = await runProcess([join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(pkg, "dist")]);
    expect(build).toMatchObject({ code: 0, stderr: "" });
  }, 120_000);

  test("review --diff FILE --format sarif", async () => {
    const run = await runProcess([join(pkg, "bin/longview.js"), "review", "--diff", diffPath, "--repo", repo.dir, "--format", "sarif"]);
    expect(run.stderr).toBe("");
    const sarif = SarifContract.parse(JSON.parse(run.stdout));
    expect(sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.region.startLine).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      LINES.password,
      LINES.eval,
      LINES.sql,
    ]);
  });

  test("review of a git range in the working directory, exit code 1 when the gate fails", async () => {
    const run = await runProcess([join(pkg, "bin/longview.js"), "review", "--base", "main", "--format", "json", "--fail-on", "P3:security"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(JsonReportContract.parse(JSON.parse(run.stdout)).gate.passed).toBe(false);
  });

  test("--version and usage errors", async () => {
    expect(await runProcess([join(pkg, "bin/longview.js"), "--version"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(await runProcess([join(pkg, "bin/longview.js"), "review", "--format", "xml"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'longview: invalid --format "xml" (expected text, json, markdown, sarif)\n',
    });
  });
});
