import { z } from "zod";
import { compactedRefs, expandCompacted } from "../context/index.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import type { WindowPlan } from "../domain/window.js";
import { defineTool, type AnyModelTool } from "../model/index.js";
import {
  findDefinitions,
  findReferences,
  readRange,
  renderDefinitions,
  renderReadRange,
  renderReferences,
  renderSearch,
  searchRepository,
} from "../repo/index.js";
import type { WindowTools } from "./reviewer.js";

/**
 * The tools a window's model may call: read and search the repository at the
 * head commit, find definitions and references of a symbol, and expand what
 * the window shows compacted (a folded copy, a summarized deletion, a triaged
 * file). Arguments are strict-schema friendly (every field present, null when
 * unused); results are the repository's text, redacted by the snapshot and
 * wrapped as untrusted by the model client.
 */

const MAX_PATH = 1_000;
const Glob = z.string().min(1).max(200).nullable().describe("Only paths matching this glob (e.g. `src/**/*.ts`), or null for all.");

const ReadFileArgs = z
  .object({
    path: z.string().min(1).max(MAX_PATH).describe("Repository-relative path."),
    start_line: z.number().int().min(1).nullable().describe("First line (1-based), or null for 1."),
    end_line: z.number().int().min(1).nullable().describe("Last line, or null for as many as allowed (about 200)."),
  })
  .strict();

const SearchArgs = z
  .object({
    query: z.string().min(1).max(200),
    regex: z.boolean().describe("Treat query as a regular expression (simple, linear patterns only)."),
    whole_word: z.boolean().describe("Match whole identifiers only."),
    glob: Glob,
  })
  .strict();

const SymbolArgs = z
  .object({
    symbol: z.string().min(1).max(200).describe("An identifier, e.g. checkToken."),
    glob: Glob,
  })
  .strict();

const ExpandArgs = z.object({ ref: z.string().min(1).max(40).describe("The id shown in the window, e.g. c12.") }).strict();

export interface ReviewToolsInput {
  /** The repository at the head commit, redacted; without it only `expand` is offered. */
  readonly repository: RepositorySnapshot | null;
  /** What `expand` can show; null outside a review (a fix reads the repository only). */
  readonly plan: WindowPlan | null;
}

/** The tools for every window of `plan`; null when there is nothing to offer (no repository, nothing compacted). */
export function reviewTools(input: ReviewToolsInput): WindowTools | null {
  const { repository, plan } = input;
  const tools: AnyModelTool[] = [];
  if (plan !== null && compactedRefs(plan).length > 0)
    tools.push(
      defineTool({
        name: "expand",
        description:
          "Show in full what this window shows compacted: a folded identical copy of a hunk, a summarized deleted file or a triaged file (its id appears as `expand <id>` in the window).",
        args: ExpandArgs,
        summarize: (a) => a.ref,
        run: async ({ ref }) => {
          const region = expandCompacted(plan, ref);
          return region === null ? `No compacted region has the id ${ref}.` : region.text;
        },
      }),
    );
  if (repository !== null) {
    tools.push(
      defineTool({
        name: "read_file",
        description: "Read numbered lines of any file in the repository at the pull request's head commit (unchanged files included).",
        args: ReadFileArgs,
        summarize: (a) => `${a.path}:${a.start_line ?? 1}-${a.end_line ?? ""}`,
        run: async (a, signal) =>
          renderReadRange(
            await readRange(
              repository,
              { path: a.path, startLine: a.start_line ?? 1, ...(a.end_line === null ? {} : { endLine: a.end_line }) },
              undefined,
              signal,
            ),
          ),
      }),
      defineTool({
        name: "search",
        description: "Search the repository at head for a literal text or a simple regular expression; returns matching lines as path:line.",
        args: SearchArgs,
        summarize: (a) => `${a.regex ? "/" + a.query + "/" : JSON.stringify(a.query)}${a.glob ? ` in ${a.glob}` : ""}`,
        run: async (a, signal) =>
          renderSearch(
            await searchRepository(
              repository,
              { query: a.query, regex: a.regex, wholeWord: a.whole_word, ...(a.glob ? { glob: a.glob } : {}) },
              undefined,
              signal,
            ),
          ),
      }),
      defineTool({
        name: "find_definitions",
        description: "Where a symbol (function, class, method, constant) is defined in the repository at head, with its signature.",
        args: SymbolArgs,
        summarize: (a) => a.symbol,
        run: async (a, signal) =>
          renderDefinitions(await findDefinitions(repository, { symbol: a.symbol, ...(a.glob ? { glob: a.glob } : {}) }, undefined, signal)),
      }),
      defineTool({
        name: "find_references",
        description: "Where a symbol is used (calls, imports, tests) in the repository at head: use it to check callers of a changed function.",
        args: SymbolArgs,
        summarize: (a) => a.symbol,
        run: async (a, signal) =>
          renderReferences(await findReferences(repository, { symbol: a.symbol, ...(a.glob ? { glob: a.glob } : {}) }, undefined, signal)),
      }),
    );
  }
  return tools.length === 0 ? null : { tools };
}
