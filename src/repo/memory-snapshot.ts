import type { RepositoryAccessStats, RepositoryListing, RepositorySnapshot } from "../domain/repository.js";

/**
 * A repository held in memory: the CLI's `--diff` mode with files given, the
 * eval cases and the tests. Reads count as requests so budgets behave as they
 * do against a real host.
 */
export function memorySnapshot(files: ReadonlyMap<string, string> | Readonly<Record<string, string>>, commit = "MEMORY"): RepositorySnapshot {
  const entries = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  const paths = [...entries.keys()].sort();
  let requests = 0;
  let bytesFetched = 0;
  const read = new Set<string>();
  return {
    commit,
    paths: async (): Promise<RepositoryListing> => {
      requests++;
      return { paths, truncated: false };
    },
    read: async (path) => {
      const text = entries.get(path);
      if (text === undefined) return null;
      if (!read.has(path)) {
        read.add(path);
        requests++;
        bytesFetched += Buffer.byteLength(text);
      }
      return text;
    },
    stats: (): RepositoryAccessStats => ({ requests, bytesFetched, filesRead: read.size, refused: 0 }),
  };
}
