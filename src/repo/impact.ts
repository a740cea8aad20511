import { posix } from "node:path";
import { createOutliner } from "../context/syntax/outliner.js";
import { languagesOf } from "../context/syntax/languages.js";
import { initSyntax } from "../context/syntax/tree-sitter.js";
import { reconstructBase } from "../diff/reconstruct-base.js";
import type { ChangedFile, ChangeSet } from "../domain/change-set.js";
import type { ApiChange, ImpactContext, ImpactUsage } from "../domain/impact.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import type { MemoryNote } from "../domain/window.js";
import { describeApiChange } from "./describe-impact.js";
import { diffOutlines, type DefinitionChange } from "./outline-diff.js";
import { splitTopLevel } from "./signature.js";
import { looksLikeDefinition, usageKind } from "./symbols.js";
import { clipLine, CODE_PATH, escapeRegExp, isTestPath, splitLines } from "./tool-text.js";
import { cooperative } from "../util/cooperative.js";

/**
 * Impact context: for each exported definition a pull request changes (outline
 * diff of base vs head), the lines of UNCHANGED files that use it, ranked by
 * proximity (importers of the changed module, then its directory, then the
 * rest) and bounded, plus tests that reference it. Deterministic, no model;
 * runs on the main thread before window planning, which receives the result
 * as plain data. Also the "api-change" memory notes of the change.
 */

export interface ImpactLimits {
  /** Changes kept (signature changes first, body-only changes last). */
  readonly maxChanges: number;
  /** Changed files whose definitions are compared base vs head. */
  readonly maxOutlinedFiles: number;
  readonly maxCallsPerChange: number;
  readonly maxTestsPerChange: number;
  /** Removed keys looked for per changed file. */
  readonly maxKeysPerFile: number;
  /** Unchanged files read and scanned. */
  readonly maxFiles: number;
  readonly maxBytes: number;
  readonly timeMs: number;
  readonly maxLineChars: number;
}

export const DEFAULT_IMPACT_LIMITS: ImpactLimits = {
  maxChanges: 24,
  maxOutlinedFiles: 2_000,
  maxCallsPerChange: 6,
  maxTestsPerChange: 3,
  maxKeysPerFile: 4,
  maxFiles: 4_000,
  maxBytes: 32 * 1024 * 1024,
  timeMs: 5_000,
  maxLineChars: 240,
};

export interface ImpactInput {
  readonly changeSet: ChangeSet;
  /** The repository at head. */
  readonly snapshot: RepositorySnapshot;
  /** The repository at base, when available; otherwise base text is rebuilt from head and the hunks. */
  readonly baseSnapshot?: RepositorySnapshot;
  readonly limits?: Partial<ImpactLimits>;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export interface ImpactResult {
  readonly impact: ImpactContext;
  /** Deterministic "api-change" notes for the pull request's memory. */
  readonly notes: readonly MemoryNote[];
}

interface Draft extends DefinitionChange {
  readonly path: string;
}

const KIND_RANK: Readonly<Record<ApiChange["kind"], number>> = { "signature-changed": 0, removed: 0, renamed: 0, "key-removed": 1, "body-changed": 2 };

export async function computeImpact(input: ImpactInput): Promise<ImpactResult> {
  const limits = { ...DEFAULT_IMPACT_LIMITS, ...input.limits };
  const { changeSet, signal } = input;
  const now = input.now ?? (() => performance.now());
  await initSyntax({ languages: languagesOf(changeSet.files.map((f) => f.path)) });
  // The search's time budget starts after the one-off grammar load, which a busy machine can make slow.
  const deadline = now() + limits.timeMs;
  const outliner = createOutliner();
  const notices: string[] = [];
  const changedPaths = new Set<string>();
  for (const f of changeSet.files) {
    changedPaths.add(f.path);
    if (f.previousPath !== null) changedPaths.add(f.previousPath);
  }

  const drafts: Draft[] = [];
  // Runs on the main thread before planning: it yields to the event loop as it goes. A count, not the clock, bounds it,
  // so the same change always gets the same impact (the outliner bounds the parsing per file).
  const breathe = cooperative();
  let outlined = 0;
  for (const file of changeSet.files) {
    if (!(file.status === "modified" || file.status === "renamed" || file.status === "removed") || !CODE_PATH.test(file.path)) continue;
    signal?.throwIfAborted();
    await breathe();
    if (outlined >= limits.maxOutlinedFiles) {
      notices.push(`Changed definitions were compared in the first ${outlined} changed file(s) (limit ${limits.maxOutlinedFiles}); the rest are not followed.`);
      break;
    }
    outlined++;
    const texts = await baseAndHead(file, input);
    if (texts === null) {
      notices.push(`${clipLine(file.path, 200)}: no base or head text, so its API changes are not known.`);
      continue;
    }
    for (const change of diffOutlines(file.path, texts.base, texts.head, outliner)) drafts.push({ ...change, path: file.path });
    for (const key of removedKeys(file, texts.head, limits.maxKeysPerFile)) drafts.push({ ...key, path: file.path });
  }
  drafts.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  if (drafts.length > limits.maxChanges)
    notices.push(`${drafts.length - limits.maxChanges} more changed definition(s) not followed (limit ${limits.maxChanges}).`);
  const kept = drafts.slice(0, limits.maxChanges);
  if (kept.length === 0) return { impact: { changes: [], notices }, notes: [] };

  const found = await scanUsages(kept, changedPaths, input, limits, deadline, now, notices);
  const changes: ApiChange[] = [];
  kept.forEach((draft, i) => {
    const all = found[i]!;
    if (draft.kind === "body-changed" || draft.kind === "key-removed") {
      // A body-only change or a dropped key matters only where something else relies on it.
      if (all.length === 0) return;
    }
    const ranked = [...all].sort((a, b) => a.rank - b.rank || a.usage.path.localeCompare(b.usage.path) || a.usage.line - b.usage.line);
    const calls = ranked.filter((u) => u.usage.kind !== "test").slice(0, limits.maxCallsPerChange);
    const tests = ranked.filter((u) => u.usage.kind === "test").slice(0, limits.maxTestsPerChange);
    changes.push({
      path: draft.path,
      symbol: draft.symbol,
      renamedTo: draft.renamedTo,
      kind: draft.kind,
      aspects: draft.aspects,
      before: draft.before,
      after: draft.after,
      usages: [...calls, ...tests].map((u) => u.usage),
      usagesTruncated: calls.length + tests.length < all.length || all.truncated,
    });
  });
  const notes: MemoryNote[] = changes
    .filter((c) => c.kind !== "body-changed" && c.kind !== "key-removed")
    .map((c) => ({ kind: "api-change", path: c.path, text: describeApiChange(c), windowId: "impact" }));
  return { impact: { changes, notices }, notes };
}

async function baseAndHead(file: ChangedFile, input: ImpactInput): Promise<{ base: string; head: string } | null> {
  const head = file.status === "removed" ? "" : (input.changeSet.headContents.get(file.path) ?? (await input.snapshot.read(file.path, input.signal)));
  if (head === null) return null;
  const base = input.baseSnapshot ? await input.baseSnapshot.read(file.previousPath ?? file.path, input.signal) : reconstructBase(head, file.hunks);
  return base === null ? null : { base, head };
}

/**
 * Keys on deleted lines (config keys, field names) the head file no longer
 * mentions: quoted strings that look like identifiers, and unquoted object or
 * YAML keys (`smtp_host: …`). Only keys something unchanged still uses are kept.
 */
const QUOTED_KEY = /["'`]([A-Za-z_][\w.-]{2,63})["'`]/g;
const BARE_KEY = /^\s*([A-Za-z_][\w-]{2,63})\s*:(?!:)/g;

function removedKeys(file: ChangedFile, head: string, max: number): DefinitionChange[] {
  const keys: DefinitionChange[] = [];
  const seen = new Set<string>();
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== "del") continue;
      for (const m of [...line.text.matchAll(QUOTED_KEY), ...line.text.matchAll(BARE_KEY)]) {
        const key = m[1]!;
        if (seen.has(key) || KEYWORDS.has(key) || new RegExp(`(?<![\\w$])${escapeRegExp(key)}(?![\\w$])`).test(head) || /[./]/.test(key) || keys.length >= max)
          continue;
        seen.add(key);
        const before = { text: clipLine(line.text.trim(), 240), line: line.oldLine ?? 0, parameters: null, returnType: null };
        keys.push({ symbol: key, qualified: key, kind: "key-removed", renamedTo: null, aspects: [], before, after: null });
      }
    }
  }
  return keys;
}

/** Words that end in a colon without being keys (labels, cases, Python blocks). */
const KEYWORDS = new Set(["case", "default", "else", "try", "finally", "except", "return", "http", "https", "public", "private", "protected"]);

interface RankedUsage {
  readonly usage: ImpactUsage;
  readonly rank: number;
}

type Found = RankedUsage[] & { truncated: boolean };

async function scanUsages(
  drafts: readonly Draft[],
  changedPaths: ReadonlySet<string>,
  input: ImpactInput,
  limits: ImpactLimits,
  deadline: number,
  now: () => number,
  notices: string[],
): Promise<Found[]> {
  const found: Found[] = drafts.map(() => Object.assign([] as RankedUsage[], { truncated: false }));
  const patterns = drafts.map((d) => new RegExp(`(?<![\\w$])${escapeRegExp(d.symbol)}(?![\\w$])`));
  const listing = await input.snapshot.paths(input.signal);
  if (listing.truncated) notices.push("The repository listing was truncated: usages in unlisted files are not shown.");
  const modules = drafts.map((d) => moduleNames(d.path));
  // Near files first, so the budgets go to the likeliest users.
  const dirs = new Set(drafts.map((d) => posix.dirname(d.path)));
  const candidates = listing.paths
    .filter((p) => !changedPaths.has(p) && CODE_PATH.test(p))
    .map((p, i) => ({ p, i, near: dirs.has(posix.dirname(p)) ? 0 : 1 }))
    .sort((a, b) => a.near - b.near || a.i - b.i)
    .map((c) => c.p);
  let files = 0;
  let bytes = 0;
  const breathe = cooperative();
  for (const path of candidates) {
    await breathe();
    if (files >= limits.maxFiles || now() > deadline) {
      notices.push(`Usage search stopped at a ${files >= limits.maxFiles ? "file" : "time"} limit after ${files} file(s); more callers may exist.`);
      found.forEach((f) => (f.truncated = true));
      break;
    }
    input.signal?.throwIfAborted();
    const text = await input.snapshot.read(path, input.signal);
    if (text === null) continue;
    if (bytes + text.length > limits.maxBytes) {
      notices.push(`Usage search stopped at the byte limit after ${files} file(s); more callers may exist.`);
      found.forEach((f) => (f.truncated = true));
      break;
    }
    files++;
    bytes += text.length;
    let lines: string[] | null = null;
    drafts.forEach((draft, i) => {
      if (!text.includes(draft.symbol)) return;
      lines ??= splitLines(text);
      const rank = proximity(path, draft.path, text, modules[i]!);
      const imports = importsSymbol(path, text, draft.path, draft.symbol);
      for (let n = 0; n < lines.length; n++) {
        const raw = lines[n]!.length > 2_000 ? lines[n]!.slice(0, 2_000) : lines[n]!;
        if (!patterns[i]!.test(raw) || looksLikeDefinition(raw, draft.symbol) || isImportLine(raw)) continue;
        const kind = draft.kind === "key-removed" ? (isTestPath(path) ? "test" : "reference") : usageKind(path, raw, draft.symbol);
        const usage: ImpactUsage = {
          path,
          line: n + 1,
          text: clipLine(raw.trim(), limits.maxLineChars),
          kind,
          argumentCount: countArguments(raw, draft.symbol),
        };
        found[i]!.push({ usage: imports ? { ...usage, importsSymbol: true } : usage, rank });
      }
    });
  }
  return found;
}

function isImportLine(line: string): boolean {
  return /^\s*(import\b|from\s+\S+\s+import\b|export\s*\{[^}]*\}\s*from\b|(?:const|let|var)\s*\{[^}]*\}\s*=\s*require\()/.test(line);
}

/** How the changed module is named in imports: its stem ("token"), its directory for Go ("auth"). */
function moduleNames(path: string): string[] {
  const stem = posix.basename(path).replace(/\.[^.]+$/, "");
  const names = [stem];
  if (stem === "index" || stem === "__init__" || path.endsWith(".go")) names.push(posix.basename(posix.dirname(path)));
  return names.filter((n) => n !== "" && n !== ".");
}

/** 0: imports the changed module; 1: same directory (same Go package); 2: anywhere else. */
function proximity(path: string, changed: string, text: string, modules: readonly string[]): number {
  const head = text.slice(0, 20_000);
  for (const name of modules) {
    const escaped = escapeRegExp(name);
    if (
      new RegExp(
        `(?:from|import|require\\()\\s*\\(?\\s*["'][^"'\\n]*(?:^|[/"'])${escaped}(?:\\.[cm]?[jt]sx?)?["']|^\\s*from\\s+[\\w.]*\\b${escaped}\\s+import\\b|^\\s*import\\s+[\\w.]*\\b${escaped}\\b|"[^"\\n]*/${escaped}"`,
        "m",
      ).test(head)
    ) {
      return 0;
    }
  }
  return posix.dirname(path) === posix.dirname(changed) ? 1 : 2;
}

const ECMA_PATH = /\.[cm]?[jt]sx?$/;
const NAMED_IMPORT =
  /\bimport\s*(type\s+)?\{([^}]*)\}\s*from\s*["']([^"'\n]+)["']|\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*["']([^"'\n]+)["']\s*\)/g;

/** Whether a JS/TS file imports `symbol` (by that name, at runtime) from the changed file through a relative path. */
export function importsSymbol(path: string, text: string, changedPath: string, symbol: string): boolean {
  if (!ECMA_PATH.test(path) || !ECMA_PATH.test(changedPath)) return false;
  const target = changedPath.replace(ECMA_PATH, "");
  for (const m of text.slice(0, 50_000).matchAll(NAMED_IMPORT)) {
    if (m[1] !== undefined) continue;
    const names = (m[2] ?? m[4] ?? "").split(",").map((n) => n.trim());
    const spec = m[3] ?? m[5] ?? "";
    if (!names.includes(symbol) || !spec.startsWith(".")) continue;
    const resolved = posix.normalize(posix.join(posix.dirname(path), spec)).replace(ECMA_PATH, "");
    if (resolved === target || `${resolved}/index` === target) return true;
  }
  return false;
}

/** Arguments at the first plain call of `name` on the line (not `obj.name(`), or null when the call does not close on it or spreads. */
export function countArguments(line: string, name: string): number | null {
  const m = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*\\(`).exec(line);
  if (!m) return null;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (--depth === 0) {
        const args = splitTopLevel(line.slice(open + 1, i));
        if (args.some((a) => a.startsWith("...") || a.startsWith("*"))) return null;
        return args.length;
      }
    }
  }
  return null;
}
