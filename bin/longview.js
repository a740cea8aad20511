#!/usr/bin/env node
// The `longview` command: runs the compiled CLI that `npm run build` writes to dist/.
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist")) throw error;
  process.stderr.write("longview: the CLI is not built (dist/ is missing); run `npm run build` first\n");
  process.exit(2);
}
process.exitCode = await cli.runCliProcess(process.argv.slice(2));
