import { diffLines } from "diff";
import type { Logger } from "pino";
import type { Analyzer, FlaggedSecret } from "../analyzers/analyzer.js";
import type { AnalyzerRun } from "../analyzers/index.js";
import type { RepositoryLimits } from "../domain/repository.js";
import { redactedSnapshot } from "../repo/index.js";
import { reviewTools } from "../reviewer/index.js";
import { changedSymbols, extraFileProblem } from "./extra-files.js";
import { ModelError, addUsage, type ModelToolSet, type TokenUsage } from "../model/index.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { Finding } from "../domain/finding.js";
import type { PullRef } from "../domain/pull-request.js";
import type { GitHubHost } from "../github/host.js";
import type { PullRequest } from "../github/schemas.js";
import { createRedactor, rangesByPath } from "../redact/index.js";
import { inlineCode } from "../markdown/untrusted.js";
import { analyzeWholeFiles } from "./analyzer-check.js";
import { BranchMovedError, type FixCommit } from "../github/git-commit.js";
import { fixCommitMessage } from "./commit-message.js";
import { WORKFLOW_REFUSAL, isWorkflowPath, namesWorkflowPath, normalizePath } from "./edit-policy.js";
import { eslintAutofix } from "./eslint-autofix.js";
import { findingFromComment, type PostedFinding } from "../github/finding-comment.js";
import { runFixLoop, type AttemptRecord } from "./fix-loop.js";
import type { FixModel } from "./fix-model.js";
import { buildFixPrompt } from "./fix-prompt.js";
import type { ReviewComment } from "../github/git-schemas.js";
import type { CommitSnapshot } from "../github/commit-files.js";
import { isLongview, isOutdatedComment, openThreads } from "../github/longview-state.js";
import { anchorHash } from "../review/fingerprint.js";
import { gatePolicyOf } from "../review/gate.js";
import { selectTargets } from "./targets.js";
import type { FixJudge } from "./fix-judge.js";
import { NO_PROOF_SPEND, proveFix, type ProofSpend, type ReviewFix } from "./prove-fix.js";
import { validateEdits, type ValidatedFix, type Validation, type ValidationContext } from "./validate-edits.js";
import type { FileEdit } from "./edit.js";

/**
 * `/agent fix` end to end: check the pull request can take a commit, decide
 * what to fix, read the files at head, get a validated edit set (the
 * analyzers' autofixes, or the model in a validation loop), and commit it to
 * the branch, rebuilding once on a branch that moved. Returns what happened;
 * the caller words the reply.
 */

export interface FixDeps {
  readonly analyzers: readonly Analyzer[];
  /** Null in offline mode: only analyzer autofixes. */
  readonly model: FixModel | null;
  /** The review pipeline a model-made fix's diff must pass (prove-fix.ts); absent: not reviewed. */
  readonly reviewFix?: ReviewFix | null;
  /** The judge a model-made fix must satisfy; absent or null: not judged. */
  readonly judge?: FixJudge | null;
  /** How the fix model reads the repository at head (its tools); absent: it sees the findings' files only. */
  readonly repository?: { readonly limits: RepositoryLimits; readonly tarballAfterReads: number } | null;
}

export type FixScope =
  /** A reply in a review thread; `root` is the thread's first comment. */
  | { readonly kind: "thread"; readonly root: ReviewComment }
  /** A comment on the conversation: the instructions name findings, or the gating ones. */
  | { readonly kind: "conversation" }
  /** The check run's "Fix all" button: the gating findings. */
  | { readonly kind: "gating" }
  /**
   * A revision for CI: the checks an earlier Longview fix commit broke, their
   * report (redacted, bounded: fix/ci-follow.ts) and the files to start from
   * (the earlier fix's, and those the annotations name).
   */
  | { readonly kind: "ci"; readonly checks: readonly string[]; readonly report: string; readonly paths: readonly string[] };

export interface FixRequest {
  readonly ref: PullRef;
  readonly scope: FixScope;
  readonly instructions: string;
  readonly requestedBy: string;
  readonly requestUrl: string | null;
  /** Longview's own login (`slug[bot]`): only its comments are findings. */
  readonly botLogin: string;
  readonly config: RepoConfig;
  readonly signal?: AbortSignal;
  /**
   * Called with the result, commit included, just before the branch moves to
   * the commit (again for a second commit when the branch moved). When it
   * throws, the branch is left alone and the error ends the fix.
   */
  readonly beforeRefMove?: (result: CommittedFixResult) => Promise<void>;
  /** The commit's subject when it fixes no finding (a revision for CI); default "Apply requested fix". */
  readonly subject?: string;
}

export interface NotFixed {
  readonly finding: Finding;
  readonly reason: string;
}

export interface FileChange {
  readonly path: string;
  readonly additions: number;
  readonly deletions: number;
}

export type FixEngine =
  | { readonly kind: "autofix" }
  | { readonly kind: "model"; readonly model: string; readonly attempts: number; readonly calls: number; readonly usage: TokenUsage };

export interface CommittedFixResult {
  readonly kind: "committed";
  readonly commit: FixCommit;
  /** The branch that got the commit (the fork's, for a fork's pull request). */
  readonly branch: { readonly owner: string; readonly repo: string; readonly name: string };
  readonly previousHead: string;
  readonly fixed: readonly Finding[];
  readonly notFixed: readonly NotFixed[];
  readonly changes: readonly FileChange[];
  readonly checks: readonly string[];
  readonly engine: FixEngine;
  readonly summary: string | null;
  /** True when the branch moved and the fix was re-applied on its new head. */
  readonly rebased: boolean;
}

export type FixResult =
  | CommittedFixResult
  | { readonly kind: "refused"; readonly reason: string; readonly notFixed: readonly NotFixed[] }
  /** Validation failed on every attempt; nothing was written. */
  | { readonly kind: "invalid"; readonly engine: FixEngine; readonly history: readonly AttemptRecord[]; readonly notFixed: readonly NotFixed[] }
  /** The model looked and made no edit. */
  | { readonly kind: "declined"; readonly engine: FixEngine; readonly summary: string; readonly notFixed: readonly NotFixed[] }
  /** The model could not be used (API error, refusal, truncated answer). */
  | { readonly kind: "model-error"; readonly message: string };

/** Below this, a file is small enough to send whole; above it the fix is refused rather than sent in pieces. */
const MAX_MODEL_CHARS = 400_000;

export async function runFix(github: GitHubHost, request: FixRequest, deps: FixDeps, log: Logger): Promise<FixResult> {
  const { ref } = request;
  const pr = await github.pullRequest(ref);
  const blocked = branchProblem(pr);
  if (blocked !== null) return refused(blocked);
  // branchProblem() refuses a pull request whose head repository is gone.
  const headRepo = splitFullName(pr.head.repo!.full_name);
  if (namesWorkflowPath(request.instructions)) return refused(`${WORKFLOW_REFUSAL}.`);

  // The head's tree is read at most once, when first needed (refusals about the request itself need none).
  let headFiles: Promise<CommitSnapshot> | null = null;
  const head = () => (headFiles ??= github.commit(headRepo, pr.head.sha));
  const task = await resolveTask(github, request, deps, head, log);
  if ("refusal" in task) return refused(task.refusal, task.notFixed ?? []);

  // Workflow files are refused before anything is read.
  const notFixed: NotFixed[] = task.targets.filter((t) => isWorkflowPath(t.finding.path)).map((t) => ({ finding: t.finding, reason: WORKFLOW_REFUSAL }));
  const editable = { ...task, targets: task.targets.filter((t) => !isWorkflowPath(t.finding.path)) };
  if (editable.targets.length === 0 && task.reviewerComment === null && task.extraPaths.length === 0) return refused(`${WORKFLOW_REFUSAL}.`, notFixed);

  const workspace = await readWorkspace(editable, request.instructions, await head(), notFixed);
  if ("refusal" in workspace) return refused(workspace.refusal, workspace.notFixed);
  if (workspace.targets.length === 0 && task.reviewerComment === null && task.extraPaths.length === 0) {
    return refused("Nothing is left to fix: the findings asked about are no longer in the code at the pull request's head.", workspace.notFixed);
  }
  const baseline = await analyzeWholeFiles(deps.analyzers, workspace.originals, log, request.signal);
  const context = (findings: readonly Finding[], originals: ReadonlyMap<string, string> = workspace.originals, before = baseline): ValidationContext => ({
    originals,
    allowedPaths: workspace.allowed,
    targets: findings,
    analyzers: deps.analyzers,
    baseline: before,
    log,
    ...(request.signal ? { signal: request.signal } : {}),
  });

  // The fix model's tools: the repository at head, redacted as read (a fork's head commit is readable through the base repository).
  const tools =
    deps.repository && deps.model
      ? reviewTools({
          repository: redactedSnapshot(
            github.repository(ref, pr.head.sha, deps.repository.limits, { tarballAfterReads: deps.repository.tarballAfterReads, log }),
            createRedactor(),
          ),
          plan: null,
        })
      : null;
  const made = await makeFix(editable, workspace, request, deps, context, baseline, { tools, head }, log);
  if ("kind" in made) return made;
  const message = fixCommitMessage(made.fixed, {
    requestedBy: request.requestedBy,
    requestUrl: request.requestUrl,
    summary: made.summary,
    ...(request.subject ? { subject: request.subject } : {}),
  });
  const result = (pending: PendingCommit): CommittedFixResult => ({
    kind: "committed",
    commit: pending.commit,
    branch: { ...headRepo, name: pr.head.ref },
    previousHead: pending.parentSha,
    fixed: made.fixed,
    notFixed,
    changes: [...pending.fix.files].map(([path, text]) => fileChange(path, pending.originals.get(path) ?? "", text)),
    checks: pending.fix.checks,
    engine: made.engine,
    summary: made.summary,
    rebased: pending.rebased,
  });
  const committed = await commitWithRebase(github, {
    headRepo,
    branch: pr.head.ref,
    snapshot: workspace.snapshot,
    originals: workspace.originals,
    modes: workspace.modes,
    fix: made.fix,
    message,
    revalidate: async (files) => validateEdits(made.fix.edits, context(made.fixed, files, await analyzeWholeFiles(deps.analyzers, files, log, request.signal))),
    beforeRefMove: async (pending) => request.beforeRefMove?.(result(pending)),
    log,
  });
  if (committed.kind === "moved") return refused(committed.reason, notFixed);
  log.info({ sha: committed.commit.sha, files: committed.fix.files.size, rebased: committed.rebased, engine: made.engine.kind }, "fix committed");
  return result(committed);
}

/** The files a fix may read and edit, at head; targets whose files cannot be edited become `notFixed`. */
interface Workspace {
  readonly snapshot: CommitSnapshot;
  /** Grow when a fix is allowed a caller's file (extra-files.ts). */
  readonly originals: Map<string, string>;
  readonly modes: Map<string, string>;
  readonly allowed: Set<string>;
  /** Targets whose file can be edited. */
  readonly targets: readonly PostedFinding[];
  /** Grows as the fix goes: targets left out, and why. */
  readonly notFixed: NotFixed[];
}

async function readWorkspace(
  task: FixTask,
  instructions: string,
  snapshot: CommitSnapshot,
  notFixed: NotFixed[],
): Promise<Workspace | { refusal: string; notFixed: NotFixed[] }> {
  const { targets } = task;
  const wanted = new Set<string>([
    ...targets.map((t) => t.finding.path),
    ...(task.reviewerComment ? [task.reviewerComment.path] : []),
    ...task.extraPaths,
    ...(await existingPaths(pathLikeTokens(instructions), snapshot)),
  ]);
  const originals = new Map<string, string>();
  const modes = new Map<string, string>();
  for (const path of wanted) {
    const read = await snapshot.readText(path);
    if (read.ok) {
      originals.set(path, read.text);
      modes.set(path, read.entry.mode);
    } else {
      for (const t of targets.filter((t) => t.finding.path === path))
        notFixed.push({ finding: t.finding, reason: `${inlineCode(path)} cannot be edited: ${read.reason}` });
    }
  }
  if (originals.size === 0) return { refusal: "None of the files involved can be edited.", notFixed };
  const located: PostedFinding[] = [];
  for (const target of targets) {
    const text = originals.get(target.finding.path);
    if (text === undefined) continue;
    const finding = relocate(target, text);
    if (finding === null)
      notFixed.push({
        finding: target.finding,
        reason: "the code it was about is no longer at the pull request's head (changed or removed since it was reported)",
      });
    else located.push({ ...target, finding });
  }
  return { snapshot, originals, modes, allowed: new Set(originals.keys()), targets: located, notFixed };
}

/**
 * The finding at the head's lines. A finding posted on an earlier head (its
 * thread outdated) keeps the hash of the line it was anchored to: found
 * again where that line is now, or null when it is gone. Findings without
 * an anchor keep their lines.
 */
export function relocate(posted: PostedFinding, text: string): PostedFinding["finding"] | null {
  const { finding, anchor } = posted;
  if (anchor === null || finding.side !== "RIGHT") return finding;
  const lines = text.split("\n");
  if (anchorHash(lines[finding.line - 1] ?? "") === anchor) return finding;
  const at = lines.findIndex((line) => anchorHash(line) === anchor);
  if (at === -1) return null;
  const shift = at + 1 - finding.line;
  return { ...finding, line: finding.line + shift, startLine: finding.startLine === null ? null : Math.max(1, finding.startLine + shift) };
}

interface MadeFix {
  readonly fix: ValidatedFix;
  readonly fixed: readonly Finding[];
  readonly engine: FixEngine;
  readonly summary: string | null;
}

/** A validated edit set from the analyzers' autofixes or the model, or the result that ends the fix. */
async function makeFix(
  task: FixTask,
  workspace: Workspace,
  request: FixRequest,
  deps: FixDeps,
  context: (findings: readonly Finding[]) => ValidationContext,
  baseline: AnalyzerRun,
  repo: { readonly tools: ModelToolSet | null; readonly head: () => Promise<CommitSnapshot> },
  log: Logger,
): Promise<MadeFix | FixResult> {
  const flagged = baseline.secrets;
  const { notFixed } = workspace;
  const findings = workspace.targets.map((t) => t.finding);
  // Mechanical fixes need neither a model nor words from the requester: the analyzers' own fixes come first.
  const autofix = eslintAutofix(workspace.originals, findings);
  const preferAutofix =
    autofix.fixed.length > 0 &&
    (deps.model === null || (autofix.unfixable.length === 0 && request.instructions.trim() === "" && task.reviewerComment === null));
  if (preferAutofix) {
    const validation = await validateEdits(autofix.edits, context(autofix.fixed));
    if (validation.ok) {
      const offline = deps.model === null ? " (and no model is configured)" : "";
      notFixed.push(...autofix.unfixable.map((u) => ({ finding: u.finding, reason: `${u.reason}${offline}` })));
      return { fix: validation.fix, fixed: autofix.fixed, engine: { kind: "autofix" }, summary: null };
    }
    if (deps.model === null) return { kind: "invalid", engine: { kind: "autofix" }, history: [{ attempt: 1, problems: validation.problems }], notFixed };
    log.warn({ problems: validation.problems }, "analyzer autofix failed validation; asking the model");
  }
  const model = deps.model;
  if (model === null) {
    return refused(
      "Longview runs without a model here (no `OPENAI_API_KEY`), so it can only apply the analyzers' own automatic fixes, and none applies to these findings.",
      [...notFixed, ...autofix.unfixable],
    );
  }

  const ciFailure = request.scope.kind === "ci" ? { checks: request.scope.checks, report: request.scope.report } : null;
  const prompt = await modelPrompt(
    workspace.originals,
    flagged,
    workspace.targets,
    task.reviewerComment,
    request.instructions,
    repo.tools !== null ? request.config.fix.maxFiles : null,
    ciFailure,
  );
  if (prompt === null) return refused(`The files are too large to send to the model (more than ${MAX_MODEL_CHARS} characters).`, notFixed);
  let loop;
  // What proving the fix cost (the judge, the review of its diff), counted with the fix model's own calls.
  let proof: ProofSpend = NO_PROOF_SPEND;
  const findingFiles = new Set(workspace.allowed);
  const prove = async (edits: readonly FileEdit[], summary: string): Promise<Validation> => {
    const admitted = await admitCallers(edits, findingFiles, workspace, baseline, repo.head, request.config.fix.maxFiles, deps, log, request.signal);
    if (admitted.length > 0) return { ok: false, problems: admitted };
    const validation = await validateEdits(edits, context(findings));
    if (!validation.ok) return validation;
    const proved = await proveFix(
      {
        fix: validation.fix,
        summary,
        targets: findings,
        originals: workspace.originals,
        flagged,
        instructions: request.instructions,
        ...(ciFailure ? { ciFailure: ciFailure.report } : {}),
        config: request.config,
        log,
        ...(request.signal ? { signal: request.signal } : {}),
      },
      { reviewFix: deps.reviewFix ?? null, judge: deps.judge ?? null },
    );
    proof = { calls: proof.calls + proved.spend.calls, usage: addUsage(proof.usage, proved.spend.usage) };
    return proved.validation;
  };
  try {
    loop = await runFixLoop({
      model,
      target: { id: "fix", label: `pull request #${request.ref.pullNumber}`, task: "fix" },
      prompt,
      maxAttempts: request.config.fix.maxAttempts,
      validate: prove,
      ...(repo.tools ? { tools: repo.tools } : {}),
      log,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    log.error({ err: error }, "fix model failed");
    return { kind: "model-error", message: error.message };
  }
  const engine = (attempts: number): FixEngine => ({
    kind: "model",
    model: model.model,
    attempts,
    calls: loop.spend.calls + proof.calls,
    usage: addUsage(loop.spend.usage, proof.usage),
  });
  if (loop.kind === "exhausted") return { kind: "invalid", engine: engine(loop.history.length), history: loop.history, notFixed };
  if (loop.kind === "declined") return { kind: "declined", engine: engine(loop.attempts), summary: loop.summary, notFixed };
  const untouched = new Set(loop.fix.untouched);
  notFixed.push(...loop.fix.untouched.map((finding) => ({ finding, reason: "the model made no edit in its file" })));
  return { fix: loop.fix, fixed: findings.filter((f) => !untouched.has(f)), engine: engine(loop.attempts), summary: loop.summary };
}

/**
 * Files outside the workspace that the edits touch: each is read at head and joins the workspace when the
 * policy allows it (a caller of a declaration the edits change, within `fix.maxFiles`); the problems otherwise.
 */
async function admitCallers(
  edits: readonly FileEdit[],
  findingFiles: ReadonlySet<string>,
  workspace: Workspace,
  baseline: AnalyzerRun,
  head: () => Promise<CommitSnapshot>,
  maxFiles: number,
  deps: FixDeps,
  log: Logger,
  signal?: AbortSignal,
): Promise<string[]> {
  const outside = [...new Set(edits.map((e) => e.path))].filter((path) => !workspace.allowed.has(path));
  if (outside.length === 0) return [];
  const symbols = changedSymbols(edits, findingFiles);
  const problems: string[] = [];
  for (const path of outside) {
    // Not a plain path, or a workflow: validateEdits words those problems.
    if (path !== normalizePath(path) || path.split("/").some((part) => part === ".." || part === "." || part === "") || isWorkflowPath(path)) continue;
    const read = await (await head()).readText(path);
    if (!read.ok) {
      problems.push(`\`${path}\` cannot be edited: ${read.reason}`);
      continue;
    }
    const problem = extraFileProblem(path, read.text, { symbols, editing: workspace.allowed.size, maxFiles });
    if (problem !== null) {
      problems.push(problem);
      continue;
    }
    workspace.originals.set(path, read.text);
    workspace.modes.set(path, read.entry.mode);
    workspace.allowed.add(path);
    // Its own findings are not the fix's: they join the baseline the fix is compared with.
    const own = await analyzeWholeFiles(deps.analyzers, new Map([[path, read.text]]), log, signal);
    baseline.findings.push(...own.findings);
    baseline.secrets.push(...own.secrets);
    log.info({ path, symbols: [...symbols] }, "a caller's file joins the fix");
  }
  return problems;
}

function refused(reason: string, notFixed: readonly NotFixed[] = []): FixResult {
  return { kind: "refused", reason, notFixed };
}

/** Why no commit can go to the pull request's branch, or null. */
export function branchProblem(pr: PullRequest): string | null {
  if (pr.merged) return "This pull request is already merged; Longview only fixes open pull requests.";
  if (pr.state !== "open") return "This pull request is closed; Longview only fixes open pull requests.";
  if (pr.head.repo === null) return "The repository this pull request comes from no longer exists, so there is no branch to commit to.";
  if (pr.head.repo.full_name.toLowerCase() !== pr.base.repo.full_name.toLowerCase() && pr.maintainer_can_modify !== true) {
    return "This pull request comes from a fork that does not allow edits by maintainers, so Longview cannot push to its branch. The author can tick “Allow edits by maintainers” on the pull request, or apply the fix themselves.";
  }
  return null;
}

interface FixTask {
  readonly targets: readonly PostedFinding[];
  readonly reviewerComment: { readonly author: string; readonly path: string; readonly line: number | null; readonly body: string } | null;
  /** Paths the instructions name when there are no findings to target (a free-form request). */
  readonly extraPaths: readonly string[];
}

async function resolveTask(
  github: GitHubHost,
  request: FixRequest,
  deps: FixDeps,
  head: () => Promise<CommitSnapshot>,
  log: Logger,
): Promise<FixTask | { refusal: string; notFixed?: NotFixed[] }> {
  const { scope } = request;
  if (scope.kind === "ci") {
    if (deps.model === null) return { refusal: "Revising a fix for CI needs a model, and none is configured (`OPENAI_API_KEY`)." };
    const paths = await existingPaths(scope.paths, await head());
    if (paths.length === 0) return { refusal: "None of the files of Longview's fix are at the pull request's head any more." };
    return { targets: [], reviewerComment: null, extraPaths: paths };
  }
  if (scope.kind === "thread") {
    const root = scope.root;
    if (isLongview(root.user?.login, request.botLogin)) {
      const posted = findingFromComment(root);
      if (posted === null) return { refusal: "This thread does not start with a Longview finding, so there is nothing to fix here." };
      // An outdated thread's code may only have moved: `relocate` finds it at head, or says it is gone.
      if (isOutdatedComment(root)) log.info({ commentId: root.id }, "fixing an outdated finding: locating its code at head");
      return { targets: [posted], reviewerComment: null, extraPaths: [] };
    }
    // A person's review comment: the model can act on what it asks for, within that file.
    if (deps.model === null) {
      return {
        refusal:
          "Acting on a reviewer's comment needs a model, and none is configured (`OPENAI_API_KEY`). Without one, Longview only applies analyzer fixes to its own findings.",
      };
    }
    const author = root.user?.login ?? "reviewer";
    return { targets: [], reviewerComment: { author, path: root.path, line: root.line ?? null, body: root.body }, extraPaths: [] };
  }

  // The same open findings the gate and "Fix all" count (github/longview-state.ts).
  const open = openThreads(await github.state(request.ref, log));
  const instructions = scope.kind === "gating" ? "" : request.instructions;
  const selection = selectTargets(open, instructions, gatePolicyOf(request.config));
  log.info({ open: open.length, targets: selection.targets.length, by: selection.by }, "fix targets selected");
  if (selection.by === "named") return { targets: selection.targets, reviewerComment: null, extraPaths: [] };
  // Files named without findings in them: a request for those files, which only a model can act on.
  const named = deps.model === null ? [] : await existingPaths(pathLikeTokens(instructions), await head());
  if (named.length > 0) return { targets: [], reviewerComment: null, extraPaths: named };
  if (selection.targets.length > 0) return { targets: selection.targets, reviewerComment: null, extraPaths: [] };
  const gate = `${request.config.gate.severity} or worse in ${request.config.gate.categories.join("/")}`;
  return {
    refusal:
      open.length === 0
        ? "There are no open Longview findings on this pull request to fix."
        : `None of the ${open.length} open Longview finding${open.length === 1 ? "" : "s"} fails the gate (${gate}). Reply \`/agent fix\` in a finding's thread, or name it (its file or title) after \`/agent fix\`.`,
  };
}

/** The paths that exist at head and may be edited (never workflows). */
async function existingPaths(candidates: readonly string[], files: CommitSnapshot): Promise<string[]> {
  const found: string[] = [];
  for (const path of candidates) if (!isWorkflowPath(path) && (await files.entry(path)) !== null) found.push(path);
  return found;
}

/** Words of the instructions that look like repository paths (`src/a.ts`, `README.md`). */
function pathLikeTokens(instructions: string): string[] {
  const tokens = instructions.split(/[\s,;()`'"]+/).map((t) => normalizePath(t.replace(/[.:]+$/, "")));
  return [...new Set(tokens.filter((t) => /^[\w.@-]+(\/[\w.@-]+)*\.[\w-]+$/.test(t) || (t.includes("/") && /^[\w.@/-]+$/.test(t))))];
}

async function modelPrompt(
  originals: ReadonlyMap<string, string>,
  flagged: readonly FlaggedSecret[],
  targets: readonly PostedFinding[],
  reviewerComment: FixTask["reviewerComment"],
  instructions: string,
  /** With the repository tools: how many files the fix may edit in all (callers included); null without them. */
  maxFiles: number | null,
  ciFailure: { readonly checks: readonly string[]; readonly report: string } | null,
) {
  const total = [...originals.values()].reduce((n, text) => n + text.length, 0);
  if (total > MAX_MODEL_CHARS) return null;
  // The model never sees secrets: files, findings and free text go through one redactor, files first,
  // with the credentials the analyzers flagged in the files.
  const redactor = createRedactor();
  const flaggedByPath = rangesByPath(flagged);
  const files = [];
  for (const [path, text] of originals) files.push({ path, text: await redactor.redactFile(path, text, flaggedByPath.get(path) ?? []) });
  const clean = (text: string) => redactor.redactLine(text);
  return buildFixPrompt({
    findings: targets.map(({ finding: f }) => ({
      ...f,
      title: clean(f.title),
      body: clean(f.body),
      suggestion: f.suggestion === null ? null : clean(f.suggestion),
    })),
    files,
    instructions: clean(instructions),
    reviewerComment: reviewerComment ? { ...reviewerComment, body: clean(reviewerComment.body) } : null,
    ...(maxFiles !== null ? { tools: { maxFiles } } : {}),
    // Already redacted and bounded where it was read (github/ci-checks.ts), redacted again with this file's secrets.
    ...(ciFailure ? { ciFailure: { checks: ciFailure.checks, report: clean(ciFailure.report) } } : {}),
  });
}

/** A commit made on `parentSha` from `fix`, about to be (or already) on the branch. */
interface PendingCommit {
  readonly commit: FixCommit;
  readonly parentSha: string;
  readonly fix: ValidatedFix;
  /** The texts `fix` was validated on. */
  readonly originals: ReadonlyMap<string, string>;
  readonly rebased: boolean;
}

type CommitOutcome = ({ readonly kind: "committed" } & PendingCommit) | { readonly kind: "moved"; readonly reason: string };

/** Commits; when the branch moved, rebuilds once on its new head from the (text-anchored) validated edits. */
async function commitWithRebase(
  github: GitHubHost,
  input: {
    headRepo: Pick<PullRef, "owner" | "repo">;
    branch: string;
    snapshot: CommitSnapshot;
    /** The head texts the fix was validated on. */
    originals: ReadonlyMap<string, string>;
    modes: ReadonlyMap<string, string>;
    fix: ValidatedFix;
    message: string;
    revalidate: (files: ReadonlyMap<string, string>) => ReturnType<typeof validateEdits>;
    beforeRefMove: (pending: PendingCommit) => Promise<void>;
    log: Logger;
  },
): Promise<CommitOutcome> {
  const { headRepo, branch, snapshot, log } = input;
  try {
    const first = { parentSha: snapshot.commitSha, fix: input.fix, originals: input.originals, rebased: false };
    const commit = await github.commitFiles(
      {
        repo: headRepo,
        branch,
        parentSha: first.parentSha,
        baseTreeSha: snapshot.treeSha,
        files: first.fix.files,
        modes: input.modes,
        message: input.message,
        beforeRefMove: (made) => input.beforeRefMove({ ...first, commit: made }),
      },
      log,
    );
    return { kind: "committed", commit, ...first };
  } catch (error) {
    if (!(error instanceof BranchMovedError)) throw error;
    if (error.actualSha === null) return { kind: "moved", reason: `The branch ${inlineCode(branch)} no longer exists.` };
    input.log.info({ from: error.expectedSha, to: error.actualSha }, "branch moved during the fix; re-applying the edits on its new head");
    const moved = await github.commit(headRepo, error.actualSha);
    const files = new Map<string, string>();
    const modes = new Map<string, string>();
    for (const path of new Set(input.fix.edits.map((e) => e.path))) {
      const read = await moved.readText(path);
      if (!read.ok)
        return {
          kind: "moved",
          reason: `The branch moved while Longview was fixing, and ${inlineCode(path)} cannot be edited on its new head: ${read.reason}.`,
        };
      files.set(path, read.text);
      modes.set(path, read.entry.mode);
    }
    const validation = await input.revalidate(files);
    if (!validation.ok) {
      return {
        kind: "moved",
        reason: `The branch moved while Longview was fixing, and the fix no longer applies to its new head: ${validation.problems.join(" ")}`,
      };
    }
    try {
      const second = { parentSha: moved.commitSha, fix: validation.fix, originals: files, rebased: true };
      const commit = await github.commitFiles(
        {
          repo: headRepo,
          branch,
          parentSha: second.parentSha,
          baseTreeSha: moved.treeSha,
          files: second.fix.files,
          modes,
          message: input.message,
          beforeRefMove: (made) => input.beforeRefMove({ ...second, commit: made }),
        },
        log,
      );
      return { kind: "committed", commit, ...second };
    } catch (again) {
      if (again instanceof BranchMovedError)
        return {
          kind: "moved",
          reason: `The branch ${inlineCode(branch)} keeps moving (twice during this fix); comment \`/agent fix\` again once pushes have settled.`,
        };
      throw again;
    }
  }
}

/** Lines added and removed in one file, for the reply (fixes and undos). */
export function fileChange(path: string, before: string, after: string): FileChange {
  let additions = 0;
  let deletions = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) additions += part.count ?? 0;
    if (part.removed) deletions += part.count ?? 0;
  }
  return { path, additions, deletions };
}

/** `owner/name` as a repository. */
export function splitFullName(fullName: string): Pick<PullRef, "owner" | "repo"> {
  const slash = fullName.indexOf("/");
  return { owner: fullName.slice(0, slash), repo: fullName.slice(slash + 1) };
}
