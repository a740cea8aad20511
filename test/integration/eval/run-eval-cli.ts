import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { evalMain } from "../../../src/eval/eval-command.js";

export interface EvalRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run eval -- …` in-process with captured streams; no OPENAI_API_KEY unless env says so. */
export async function runEvalCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<EvalRun> {
  let stdout = "";
  let stderr = "";
  const code = await evalMain(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    stdin: Readable.from([]),
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, stdout, stderr };
}

export interface TempDir {
  readonly path: string;
  write(relative: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async write(relative, content) {
      const file = join(path, relative);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, "utf8");
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Numbered lines `// line N` so tests can label exact lines. */
export function numberedLines(count: number, prefix = "//"): string {
  return Array.from({ length: count }, (_, i) => `${prefix} line ${i + 1}`).join("\n") + "\n";
}
