import { readFile, realpath, stat } from "node:fs/promises";
import { relative, resolve, isAbsolute, sep } from "node:path";
import { looksBinary } from "../diff/compute-file-diff.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { readBlobs } from "./git.js";
import { systemErrorCode } from "./io.js";

/** The head version of one changed file, as far as it can be used for review. */
export type HeadContent = { readonly kind: "text"; readonly text: string } | { readonly kind: "binary" | "missing" | "too-large" };

/** Reads head versions of the given paths (relative to the repository root). */
export type HeadReader = (paths: readonly string[]) => Promise<ReadonlyMap<string, HeadContent>>;

const READ_CONCURRENCY = 16;

/** Text content of a file, unless it is binary or larger than `maxBytes` (kept out of context, as the app does). */
export function decodeText(content: Buffer, maxBytes: number): HeadContent {
  if (content.length > maxBytes) return { kind: "too-large" };
  if (looksBinary(content)) return { kind: "binary" };
  return { kind: "text", text: content.toString("utf8") };
}

/** Head versions at a commit of a git repository. */
export function commitReader(repoRoot: string, commit: string, maxBytes: number): HeadReader {
  return async (paths) => {
    const blobs = await readBlobs(repoRoot, commit, paths);
    return new Map([...blobs].map(([path, blob]): [string, HeadContent] => [path, blob ? decodeText(blob, maxBytes) : { kind: "missing" }]));
  };
}

/**
 * Head versions from files on disk under `root`. Paths come from a diff, which
 * may be untrusted: a path (or symlink) leading outside `root` is never read.
 */
export function workingTreeReader(root: string, maxBytes: number): HeadReader {
  return async (paths) => {
    const realRoot = await realpath(root);
    const results = new Map<string, HeadContent>();
    await mapConcurrent(paths, READ_CONCURRENCY, async (path) => {
      results.set(path, await readInside(realRoot, path, maxBytes));
    });
    return results;
  };
}

async function readInside(realRoot: string, path: string, maxBytes: number): Promise<HeadContent> {
  let real: string;
  try {
    real = await realpath(resolve(realRoot, path));
  } catch (error) {
    if (isMissing(error)) return { kind: "missing" };
    throw error;
  }
  if (!isInside(realRoot, real)) return { kind: "missing" };
  const info = await stat(real);
  if (!info.isFile()) return { kind: "missing" };
  if (info.size > maxBytes) return { kind: "too-large" };
  return decodeText(await readFile(real), maxBytes);
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

function isMissing(error: unknown): boolean {
  const code = systemErrorCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP" || code === "EACCES";
}
