/**
 * `npm run eval:scripted -- [--seed S] [eval options]`: `npm run eval` against a SIMULATED
 * model on loopback that reads the case labels (tools/eval-model/). It measures the
 * pipeline's mechanics, not a model's judgement; see eval/README.md.
 */
import { processIo } from "../src/cli/main.js";
import { scriptedEvalMain } from "../tools/eval-model/run-scripted-eval.js";

process.exitCode = await scriptedEvalMain(process.argv.slice(2), processIo());
