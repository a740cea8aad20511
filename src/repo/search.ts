import { minimatch } from "minimatch";
import { z } from "zod";
import type { RepositorySnapshot } from "../domain/repository.js";
import { compileSearchPattern } from "./safe-pattern.js";
import { clipLine, splitLines } from "./tool-text.js";
import { cooperative } from "../util/cooperative.js";

/** Arguments of the search tool, as the model gives them. */
export const SearchArgsSchema = z
  .object({
    query: z.string().min(1).max(200),
    /** Treat `query` as a regular expression (checked by the safe-pattern policy). */
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(true),
    /** Match whole identifiers only. */
    wholeWord: z.boolean().default(false),
    /** Only paths matching one of these globs (minimatch, dotfiles included). */
    glob: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(10)]).optional(),
  })
  .strict();
export type SearchArgs = z.input<typeof SearchArgsSchema>;

export interface SearchLimits {
  readonly maxMatches: number;
  readonly maxMatchesPerFile: number;
  readonly maxFiles: number;
  /** Bytes of file text read and scanned, in total. */
  readonly maxBytes: number;
  /** Lines are matched up to this many characters (and shown clipped to it). */
  readonly maxLineChars: number;
  /** Wall-clock budget of one search. */
  readonly timeMs: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = {
  maxMatches: 50,
  maxMatchesPerFile: 10,
  maxFiles: 2_000,
  maxBytes: 16 * 1024 * 1024,
  maxLineChars: 300,
  timeMs: 2_000,
};

export interface SearchMatch {
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

export type SearchStop = "matches" | "files" | "bytes" | "time" | "listing";

export interface SearchResult {
  readonly query: string;
  /** Why the pattern was refused, or null. */
  readonly rejected: string | null;
  readonly matches: readonly SearchMatch[];
  readonly filesSearched: number;
  readonly bytesSearched: number;
  /** What stopped the search early or made it incomplete; empty when it saw everything. */
  readonly truncated: readonly SearchStop[];
}

/** Lines matching a literal or (safe) regular expression across the snapshot, in path order, bounded. */
export async function searchRepository(
  snapshot: RepositorySnapshot,
  rawArgs: SearchArgs,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  signal?: AbortSignal,
  options: { readonly exclude?: ReadonlySet<string>; readonly now?: () => number } = {},
): Promise<SearchResult> {
  const args = SearchArgsSchema.parse(rawArgs);
  const compiled = compileSearchPattern(args.query, args);
  const empty = { query: args.query, matches: [], filesSearched: 0, bytesSearched: 0 };
  if (!compiled.ok) return { ...empty, rejected: compiled.reason, truncated: [] };
  const now = options.now ?? (() => performance.now());
  const deadline = now() + limits.timeMs;
  const globs = args.glob === undefined ? [] : Array.isArray(args.glob) ? args.glob : [args.glob];
  const listing = await snapshot.paths(signal);
  const stops = new Set<SearchStop>(listing.truncated ? ["listing"] : []);
  const matches: SearchMatch[] = [];
  let filesSearched = 0;
  let bytesSearched = 0;
  const literal = args.regex || args.wholeWord ? null : args.caseSensitive ? args.query : args.query.toLowerCase();

  // A tool call on the main thread: it yields to the event loop between files.
  const breathe = cooperative();
  outer: for (const path of listing.paths) {
    await breathe();
    if (options.exclude?.has(path)) continue;
    if (globs.length > 0 && !globs.some((g) => minimatch(path, g, { dot: true, nocomment: true, nonegate: true }))) continue;
    if (filesSearched >= limits.maxFiles) {
      stops.add("files");
      break;
    }
    if (now() > deadline) {
      stops.add("time");
      break;
    }
    signal?.throwIfAborted();
    const text = await snapshot.read(path, signal);
    if (text === null) continue;
    if (bytesSearched + text.length > limits.maxBytes) {
      stops.add("bytes");
      break;
    }
    filesSearched++;
    bytesSearched += text.length;
    // A literal absent from the whole file needs no line-by-line pass.
    if (literal !== null && !(args.caseSensitive ? text : text.toLowerCase()).includes(literal)) continue;
    const lines = splitLines(text);
    let inFile = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.length > limits.maxLineChars ? lines[i]!.slice(0, limits.maxLineChars) : lines[i]!;
      const hit = literal !== null ? (args.caseSensitive ? line : line.toLowerCase()).includes(literal) : compiled.regex.test(line);
      if (!hit) {
        if ((i & 255) === 255 && now() > deadline) {
          stops.add("time");
          break outer;
        }
        continue;
      }
      if (matches.length >= limits.maxMatches) {
        stops.add("matches");
        break outer;
      }
      matches.push({ path, line: i + 1, text: clipLine(lines[i]!.trim(), limits.maxLineChars) });
      if (++inFile >= limits.maxMatchesPerFile) break;
    }
  }
  return { ...empty, rejected: null, matches, filesSearched, bytesSearched, truncated: [...stops] };
}

const STOP_TEXT: Readonly<Record<SearchStop, string>> = {
  matches: "match limit reached",
  files: "file limit reached",
  bytes: "byte limit reached",
  time: "time limit reached",
  listing: "the repository listing itself was truncated",
};

/** `path:line: text` per match, with a last line saying whether the search was complete. */
export function renderSearch(result: SearchResult): string {
  if (result.rejected !== null) return `Search refused: ${result.rejected}.`;
  const lines = result.matches.map((m) => `${clipLine(m.path, 300)}:${m.line}: ${m.text}`);
  const status =
    result.truncated.length === 0
      ? `${result.matches.length} match(es) in ${result.filesSearched} file(s) searched; complete.`
      : `${result.matches.length} match(es) in ${result.filesSearched} file(s) searched; INCOMPLETE (${result.truncated.map((s) => STOP_TEXT[s]).join(", ")}).`;
  return [...lines, status].join("\n");
}
