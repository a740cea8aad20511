import { describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { secretlintPath } from "../../../src/redact/secretlint-scan.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * A file name with a line break once ended the process: secretlint's profiler
 * measured a performance mark named after the path in a detached promise, the
 * measure threw, and Node exited on the unhandled rejection. Run in a child
 * process with Node's default handling, where that is fatal (jest would catch it).
 */
describe("secretlint on hostile file names", () => {
  test("every line terminator and control character: the scan completes, the process lives, no marks pile up", () => {
    const script = `
      import { performance } from "node:perf_hooks";
      import { scanWithSecretlint } from "./src/redact/secretlint-scan.ts";
      const paths = ["a\\nb.js", "a\\rb.js", "a\\u2028b.js", "a\\u2029b.js", "a\\u0085b.js", "a\\u0000b.js", "\\u001b[31m.js", "x".repeat(5000) + "\\n.env"];
      let found = 0;
      for (const p of paths) found += (await scanWithSecretlint(p, 'const k = "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO";\\n', { honorDisableComments: true })).length;
      for (let i = 0; i < 100; i++) await scanWithSecretlint("f" + i + ".js", "const x = 1;\\n", { honorDisableComments: false });
      await new Promise((r) => setTimeout(r, 100));
      process.stdout.write(JSON.stringify({ found, marks: performance.getEntriesByType("mark").length }));
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // The secret is still found in every file, whatever its name.
    expect(JSON.parse(run.stdout)).toEqual({ found: 8, marks: 0 });
  });

  test("the path secretlint sees has no control characters or line terminators, and keeps the file's name", () => {
    expect(secretlintPath("a\nb\r\u2028\u2029\u0085\u0000.npmrc")).toBe("/a_b_____.npmrc");
    expect(secretlintPath("///config/package.json")).toBe("/config/package.json");
  });
});
