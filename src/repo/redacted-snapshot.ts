import type { RepositoryListing, RepositorySnapshot } from "../domain/repository.js";
import type { Redactor } from "../redact/index.js";

/**
 * A snapshot whose every text has been through the job's redactor: file
 * contents with `redactFile` (so a secret found in any file read is also
 * remembered and hidden wherever it shows up later: hunks, other files),
 * paths with `redactLine`. The reviewer's tools read the repository only
 * through this wrapper, so nothing from it reaches a model unredacted.
 *
 * A path with a secret in it is listed redacted; reading the listed form
 * reads the original file.
 */
export function redactedSnapshot(inner: RepositorySnapshot, redactor: Redactor): RepositorySnapshot {
  const texts = new Map<string, Promise<string | null>>();
  /** Listed (redacted) path → the original, for the few paths redaction changed. */
  const originals = new Map<string, string>();
  let listing: Promise<RepositoryListing> | null = null;

  const list = async (signal?: AbortSignal): Promise<RepositoryListing> => {
    const { paths, truncated } = await inner.paths(signal);
    const listed: string[] = [];
    for (const path of paths) {
      const shown = redactor.redactLine(path);
      if (shown !== path) {
        // Two secret-bearing paths that redact alike cannot both be told apart: the first stays readable.
        if (originals.has(shown)) continue;
        originals.set(shown, path);
      }
      listed.push(shown);
    }
    return { paths: listed.sort(), truncated };
  };

  const load = async (path: string, signal?: AbortSignal): Promise<string | null> => {
    const original = originals.get(path) ?? path;
    const text = await inner.read(original, signal);
    return text === null ? null : redactor.redactFile(original, text);
  };

  return {
    commit: inner.commit,
    paths(signal) {
      if (!listing) {
        const pending = list(signal);
        listing = pending;
        pending.catch(() => {
          if (listing === pending) listing = null;
        });
      }
      return listing;
    },
    read(path, signal) {
      let pending = texts.get(path);
      if (!pending) {
        pending = load(path, signal);
        texts.set(path, pending);
        pending.catch(() => texts.delete(path));
      }
      return pending;
    },
    stats: () => inner.stats(),
  };
}
