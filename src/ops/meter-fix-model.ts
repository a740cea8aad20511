import type { FixModel } from "../fix/fix-model.js";
import type { UsageSink } from "./meter-reviewer.js";

/**
 * Counts each fix call's tokens and HTTP attempts as it ends (failed calls
 * included), into the same sink as the reviewer's (`meterReviewer`).
 */
export function meterFixModel(model: FixModel, sink: UsageSink): FixModel {
  return {
    model: model.model,
    session(target, log, signal) {
      const inner = model.session(target, log, signal);
      return {
        async send(request, attempt) {
          const before = inner.spend();
          try {
            return await inner.send(request, attempt);
          } finally {
            const after = inner.spend();
            sink(
              model.model,
              {
                inputTokens: after.usage.inputTokens - before.usage.inputTokens,
                outputTokens: after.usage.outputTokens - before.usage.outputTokens,
                reasoningTokens: after.usage.reasoningTokens - before.usage.reasoningTokens,
              },
              after.calls - before.calls,
            );
          }
        },
        spend: () => inner.spend(),
        errorFor: (answer) => inner.errorFor(answer),
      };
    },
  };
}
