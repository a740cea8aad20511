import { Readable } from "node:stream";
import { main } from "../../../src/cli/main.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `longview …` in-process with captured streams, offline (no OPENAI_API_KEY) unless env says otherwise. */
export async function runCli(args: readonly string[], options: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdin: Readable.from([Buffer.from(options.stdin ?? "")]),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? { PATH: process.env.PATH },
  });
  return { code, stdout, stderr };
}
