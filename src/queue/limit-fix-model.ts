import type { FixModel } from "../fix/fix-model.js";
import type { Semaphore } from "./semaphore.js";

/**
 * The fix model under the same cap on model calls in flight as the review
 * windows (`limitReviewer`): one semaphore per process, shared by both, so
 * a burst of `/agent fix` cannot go past LONGVIEW_MODEL_CONCURRENCY. A fix
 * waiting for a slot gives up when its job is aborted.
 */
export function limitFixModel(model: FixModel, semaphore: Semaphore): FixModel {
  return {
    model: model.model,
    session(target, log, signal) {
      const inner = model.session(target, log, signal);
      return {
        send: (request, attempt) => semaphore.use(() => inner.send(request, attempt), signal),
        spend: () => inner.spend(),
        errorFor: (answer) => inner.errorFor(answer),
      };
    },
  };
}
