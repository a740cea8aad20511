import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "@jest/globals";

const FIXTURE = fileURLToPath(new URL("./fixtures/startup-footprint.ts", import.meta.url));

// An idle server stays small: the tokenizer, the grammars, ESLint and secretlint load on a job's first use, not at start-up.
test("a composed App has loaded no heavy package until a job uses one", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", FIXTURE], { timeout: 60_000 });
  const { composed, used } = JSON.parse(stdout.trim().split("\n").at(-1)!) as { composed: string[]; used: string[] };
  expect(composed).toEqual([]);
  expect(used).toEqual(["gpt-tokenizer", "@vscode/tree-sitter-wasm"]);
}, 90_000);
