/**
 * `npm run eval -- --dataset DIR …`: measures Longview's review quality on
 * labeled cases (see eval/README.md). `npm run eval -- --help` lists the options.
 */
import { processIo } from "../src/cli/main.js";
import { evalMain } from "../src/eval/eval-command.js";

process.exitCode = await evalMain(process.argv.slice(2), processIo());
