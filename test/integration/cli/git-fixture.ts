import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

/** A throw-away git repository with a clean base commit and a head commit that adds real vulnerabilities. */

const run = promisify(execFile);

export const BASE_SERVER = `const express = require("express");
const db = require("./db");

const app = express();
const TIMEOUT_MS = 5000;

app.get("/health", (req, res) => {
  res.send("ok");
});

module.exports = app;
`;

/** Line numbers in HEAD_SERVER of the problems the analyzers must find. */
export const LINES = { password: 5, eval: 12, sql: 16 } as const;

export const HEAD_SERVER = `const express = require("express");
const db = require("./db");

const app = express();
const password = "hunter2secret";

app.get("/health", (req, res) => {
  res.send("ok");
});

app.get("/calc", (req, res) => {
  res.send(String(eval(req.query.x)));
});

app.get("/users/:id", async (req, res) => {
  const rows = await db.query("SELECT * FROM users WHERE id = " + req.params.id);
  res.json(rows);
});

module.exports = app;
`;

export const CLEAN_UTIL = `export function add(a: number, b: number): number {
  return a + b;
}
`;

export interface GitFixture {
  readonly dir: string;
  readonly base: string;
  readonly head: string;
  /** A later commit on top of head that only adds clean code. */
  readonly clean: string;
  git(...args: string[]): Promise<string>;
  write(path: string, content: string): Promise<void>;
  commit(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createGitFixture(): Promise<GitFixture> {
  const dir = await mkdtemp(join(tmpdir(), "longview-cli-"));
  const env: Record<string, string | undefined> = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete env[key];
  const git = async (...args: string[]) =>
    (await run("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, env })).stdout;
  const write = async (path: string, content: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  const commit = async (message: string) => {
    await git("add", "-A");
    await git("commit", "-q", "-m", message);
    return (await git("rev-parse", "HEAD")).trim();
  };

  await git("init", "-q", "-b", "main");
  await write("src/server.js", BASE_SERVER);
  await write("src/old.js", "module.exports = function legacy() {\n  return 1;\n};\n");
  await write("package-lock.json", '{\n  "lockfileVersion": 3\n}\n');
  const base = await commit("Initial server");

  await git("checkout", "-q", "-b", "feature");
  await write("src/server.js", HEAD_SERVER);
  await git("rm", "-q", "src/old.js");
  await write("package-lock.json", '{\n  "lockfileVersion": 3,\n  "packages": {}\n}\n');
  const head = await commit("Add calculator and user lookup\n\nTwo new endpoints.");

  await write("src/util.ts", CLEAN_UTIL);
  const clean = await commit("Add a clean helper");
  await git("checkout", "-q", head);

  return { dir, base, head, clean, git, write, commit, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
