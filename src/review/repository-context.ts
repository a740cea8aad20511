import type { Logger } from "pino";
import type { ChangeSet } from "../domain/change-set.js";
import type { ImpactContext } from "../domain/impact.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import type { MemoryNote } from "../domain/window.js";
import { computeImpact } from "../repo/index.js";
import type { Redactor } from "./redact-change-set.js";

/**
 * What the review learns from the repository beyond the change before any
 * model call: the impact context (changed definitions, their unchanged
 * callers and tests) for the windows and the analyzers, and the "api-change"
 * notes that start every window's memory. A repository that cannot be read
 * costs the review its impact context, never the review: the failure is a
 * notice.
 */

export interface RepositoryContext {
  readonly impact: ImpactContext | null;
  /** Redacted: they go to the model as they are. */
  readonly notes: readonly MemoryNote[];
  readonly notice: string | null;
}

export async function repositoryContext(
  changeSet: ChangeSet,
  repository: RepositorySnapshot,
  redactor: Redactor,
  log: Logger,
  signal?: AbortSignal,
): Promise<RepositoryContext> {
  const started = performance.now();
  try {
    const { impact, notes } = await computeImpact({ changeSet, snapshot: repository, ...(signal ? { signal } : {}) });
    log.info(
      { ms: Math.round(performance.now() - started), changes: impact.changes.length, notes: notes.length, repository: repository.stats() },
      "impact context computed",
    );
    return { impact, notes: notes.map((n) => ({ ...n, text: redactor.redactLine(n.text) })), notice: null };
  } catch (error) {
    if (signal?.aborted) throw error;
    log.warn({ err: error, repository: repository.stats() }, "impact context failed");
    const message = error instanceof Error ? error.message : String(error);
    return {
      impact: null,
      notes: [],
      notice: `The repository around the change could not be read (${oneLine(message)}), so the windows show no callers or tests of changed code.`,
    };
  }
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
