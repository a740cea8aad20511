import { createReadStream } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { commitMessages, diffStream, findDefaultBranch, findRepoRoot, mergeBase, resolveCommit } from "./git.js";
import type { RepositoryLimits } from "../domain/repository.js";
import { gitCommitSnapshot, workingTreeSnapshot, type LocalSnapshot } from "../repo/git-snapshot.js";
import { commitReader, workingTreeReader, type HeadReader } from "./head-content.js";
import { describeFileError, UsageError, type CliIo } from "./io.js";

/**
 * Where the CLI's change comes from: a git range of a local repository, or a
 * unified diff file (or stdin). Either way the result is the diff as a stream
 * (read once, never held whole: see local-change-set.ts), a way to read head
 * versions, and the stand-ins for a PR's title and description.
 */

export type ChangeSourceOptions =
  | {
      readonly kind: "git";
      readonly repo: string;
      readonly base: string | undefined;
      readonly head: string | undefined;
      /** Compare base with the working tree (uncommitted changes of tracked files) instead of a head commit. */
      readonly workingTree: boolean;
    }
  | { readonly kind: "diff"; readonly diff: string; readonly repo: string | undefined };

export interface LocalChange {
  /** The unified diff, read once. */
  readonly diff: AsyncIterable<string | Uint8Array>;
  /** What the diff is called in messages: `stdin`, the file, or the git range. */
  readonly diffName: string;
  readonly readHead: HeadReader | null;
  /**
   * The whole repository the change is in, for the reviewer's tools: the head
   * commit's objects, or the working tree (what .gitignore leaves); null
   * without a git repository. The caller closes what it opens.
   */
  readonly repository: ((limits: RepositoryLimits) => LocalSnapshot) | null;
  /** Directory with `AGENTS.md` and `.github/longview.yml`, or null when there is none. */
  readonly repoRoot: string | null;
  readonly title: string;
  readonly description: string;
  /** One line for the reader, e.g. `main...HEAD (3f2a1c0..9be41d2)`. */
  readonly label: string;
  readonly notices: readonly string[];
}

export const NO_REPO_NOTICE =
  "No `--repo` given: without the changed files' contents the analyzers had nothing to check and the model sees the diff without surrounding code.";

export async function loadLocalChange(options: ChangeSourceOptions, io: Pick<CliIo, "cwd" | "stdin">, maxFileBytes: number): Promise<LocalChange> {
  return options.kind === "git" ? loadGitRange(options, io.cwd, maxFileBytes) : loadDiffFile(options, io, maxFileBytes);
}

async function loadGitRange(options: Extract<ChangeSourceOptions, { kind: "git" }>, cwd: string, maxFileBytes: number): Promise<LocalChange> {
  const dir = await existingDirectory(resolve(cwd, options.repo), "--repo");
  const root = await findRepoRoot(dir);
  if (root === null) throw new UsageError(`not a git repository: ${dir} (use --diff FILE to review a diff file)`);

  const baseRef = options.base ?? (await findDefaultBranch(root));
  if (baseRef === null) throw new UsageError("cannot find the default branch (no origin/HEAD, main or master); pass --base REF");
  const headRef = options.head ?? "HEAD";
  const baseCommit = await resolveCommit(root, baseRef);
  const headCommit = await resolveCommit(root, headRef);
  // Like a pull request: the changes on head since it left base.
  const since = await mergeBase(root, baseCommit, headCommit);

  const messages = await commitMessages(root, since, headCommit);
  const range = `${baseRef}...${options.workingTree ? "working tree" : headRef}`;
  const single = messages.length === 1 && !options.workingTree ? splitMessage(messages[0] ?? "") : null;
  return {
    diff: diffStream(root, since, options.workingTree ? null : headCommit),
    diffName: `the diff of ${range}`,
    readHead: options.workingTree ? workingTreeReader(root, maxFileBytes) : commitReader(root, headCommit, maxFileBytes),
    repository: (limits) => (options.workingTree ? workingTreeSnapshot(root, limits) : gitCommitSnapshot(root, headCommit, limits)),
    repoRoot: root,
    title: single?.subject ?? `Local changes ${range}`,
    description: single?.body ?? messages.join("\n\n---\n\n"),
    label: `${range} (${since.slice(0, 7)}..${options.workingTree ? "working tree" : headCommit.slice(0, 7)})`,
    notices: [],
  };
}

async function loadDiffFile(
  options: Extract<ChangeSourceOptions, { kind: "diff" }>,
  io: Pick<CliIo, "cwd" | "stdin">,
  maxFileBytes: number,
): Promise<LocalChange> {
  const fromStdin = options.diff === "-";
  const diff = fromStdin ? io.stdin : await diffFile(resolve(io.cwd, options.diff));
  const root = options.repo === undefined ? null : await existingDirectory(resolve(io.cwd, options.repo), "--repo");
  const name = fromStdin ? "stdin" : basename(options.diff);
  // A diff applies to files on disk: the repository around it is the working tree under --repo, when that is in git.
  const inGit = root !== null && (await findRepoRoot(root)) !== null;
  return {
    diff,
    diffName: fromStdin ? "stdin" : options.diff,
    readHead: root === null ? null : workingTreeReader(root, maxFileBytes),
    repository: root === null || !inGit ? null : (limits) => workingTreeSnapshot(root, limits),
    repoRoot: root,
    title: `Diff from ${name}`,
    description: "",
    label: root === null ? `diff ${name}` : `diff ${name} on ${root}`,
    notices: root === null ? [NO_REPO_NOTICE] : [],
  };
}

/** A diff file, checked now (so a wrong name is reported before anything else) and read later as a stream. */
async function diffFile(path: string): Promise<AsyncIterable<Uint8Array>> {
  const cannotRead = (error: unknown) => new UsageError(`cannot read diff file ${path}: ${describeFileError(error)}`, { cause: error });
  try {
    await access(path, constants.R_OK);
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (error) {
    throw cannotRead(error);
  }
  return (async function* () {
    try {
      yield* createReadStream(path) as AsyncIterable<Uint8Array>;
    } catch (error) {
      throw cannotRead(error);
    }
  })();
}

async function existingDirectory(path: string, option: string): Promise<string> {
  try {
    if ((await stat(path)).isDirectory()) return path;
  } catch (error) {
    throw new UsageError(`${option}: cannot access ${path}: ${describeFileError(error)}`, { cause: error });
  }
  throw new UsageError(`${option}: ${path} is not a directory`);
}

function splitMessage(message: string): { subject: string; body: string } {
  const [subject = "", ...rest] = message.split("\n");
  return { subject: subject.trim(), body: rest.join("\n").trim() };
}
