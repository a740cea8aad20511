import { createDefaultAnalyzers } from "../analyzers/index.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { planWindows } from "../review/plan-windows.js";
import { serveTasks } from "./protocol.js";
import { REVIEW_TASKS } from "./review-tasks.js";

/**
 * A worker thread's entry (started by `createComputePool`): runs the review
 * stages of REVIEW_TASKS with the same functions the event loop would call.
 * The analyzers are built once per thread; each task's log lines go to the
 * caller's logger.
 */

const analyzers = new Map(createDefaultAnalyzers().map((a) => [a.name, a]));

serveTasks(REVIEW_TASKS, {
  analyze: async (input, log) => {
    const analyzer = analyzers.get(input.analyzer);
    if (!analyzer) throw new Error(`no analyzer ${input.analyzer} on this thread`);
    // Analyzers read files and contents; the line map is only for the caller's filter, rebuilt here to complete the input.
    const { lineMap } = buildChangeSet({ files: input.files });
    return analyzer.analyze({
      files: input.files,
      headContents: input.headContents,
      lineMap,
      filter: input.filter,
      log,
      ...(input.impact ? { impact: input.impact } : {}),
    });
  },
  plan: async (input) => planWindows({ ...input, changeSet: buildChangeSet(input.changeSet) }),
});
