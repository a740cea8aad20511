import { randomBytes } from "node:crypto";
import { appendFile, readFile } from "node:fs/promises";
import { compose } from "../compose.js";
import { DEFAULT_REPO_CONFIG } from "../config/repo-config.js";
import { WindowBudgetError } from "../context/errors.js";
import type { PlacedFinding } from "../domain/finding.js";
import type { CheckOutcome } from "../github/check-run.js";
import { gatePolicyOf, parseFailOn, type GatePolicy } from "../review/gate.js";
import { reviewPullRequest } from "../review/review-pull-request.js";
import { EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE, UsageError, errorMessage, type CliOutput } from "../cli/io.js";
import { createCliLogger } from "../cli/logger.js";
import { loadCliEnv } from "../cli/prepare-change.js";
import { pullHost, tokenGitHub, type RefusableWrite } from "../cli/pull-host.js";
import { readToolInfo } from "../cli/version.js";
import { ActionEnvSchema, withoutEmpty, type ActionEnv } from "./action-env.js";
import { EventError, readActionEvent } from "./event.js";
import { formatJobSummary, formatSkippedSummary } from "./job-summary.js";
import { uninterpretedBlock, workflowCommand } from "./workflow-commands.js";

/**
 * Longview as a step of a GitHub Actions workflow: the app's review of the
 * event's pull request (`reviewPullRequest`, the pipeline composed in
 * compose.ts), posted through the workflow's token as the app posts it — one
 * review of line comments with Longview's markers, nothing posted twice, the
 * check run as the gate — and the step's exit code following the check run's
 * conclusion. The review also goes to the job summary, always: on a fork's
 * pull request, whose token may only read, that is the only place it appears.
 */

export interface ActionIo {
  /** The step's log: workflow commands, and the review as text the runner does not interpret. */
  readonly stdout: CliOutput;
  /** Longview's own log lines. */
  readonly stderr: CliOutput;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** What the step reports in `GITHUB_OUTPUT`. */
export interface ActionOutputs {
  /** The check run's conclusion, or `skipped` when there was nothing to review. */
  readonly conclusion: CheckOutcome["conclusion"] | "skipped";
  /** Findings of this review (an incremental review: of the push). */
  readonly findings: number;
  /** Whether a review was posted on the pull request. */
  readonly posted: boolean;
}

/** Findings annotated on the run when nothing can be posted (GitHub shows at most 10 per level per step). */
const MAX_ANNOTATIONS = 10;

export async function runAction(io: ActionIo): Promise<number> {
  let env: ActionEnv | null = null;
  try {
    const parsed = ActionEnvSchema.safeParse(io.env);
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
    env = parsed.data;
    return await review(env, io);
  } catch (error) {
    const message = io.signal?.aborted ? "the review was cancelled" : errorMessage(error);
    const known = error instanceof UsageError || error instanceof EventError || error instanceof WindowBudgetError;
    io.stdout.write(workflowCommand("error", `Longview: ${known ? "" : "could not review the pull request: "}${message}`, { title: "Longview" }));
    // The failure is already on the log: a summary that cannot be written adds nothing to it.
    if (env) await writeSummary(env, formatSkippedSummary("this pull request", `❗ Longview could not review it: ${message}`)).catch(() => {});
    return EXIT_USAGE;
  }
}

async function review(actionEnv: ActionEnv, io: ActionIo): Promise<number> {
  const event = readActionEvent(actionEnv.GITHUB_EVENT_NAME, await readEventFile(actionEnv.GITHUB_EVENT_PATH));
  if (event.kind === "ignored") {
    io.stdout.write(workflowCommand("notice", event.reason, { title: "Longview" }));
    await writeOutputs(actionEnv, { conclusion: "skipped", findings: 0, posted: false });
    return EXIT_OK;
  }
  const { ref } = event;
  const label = `${ref.owner}/${ref.repo}#${ref.pullNumber}`;
  if (actionEnv.GITHUB_REPOSITORY && actionEnv.GITHUB_REPOSITORY.toLowerCase() !== `${ref.owner}/${ref.repo}`.toLowerCase()) {
    throw new EventError(`the event names ${label}, but the workflow runs in ${actionEnv.GITHUB_REPOSITORY}`);
  }
  // A `fail-on` that cannot be read is reported before minutes of review, not after.
  const failOn = actionEnv.INPUT_FAIL_ON;
  const gateOff = failOn === "none";
  if (failOn !== undefined) gateFor(failOn, gatePolicyOf(DEFAULT_REPO_CONFIG));

  const env = loadCliEnv(withoutEmpty(io.env));
  const log = createCliLogger(io.stderr, { verbose: actionEnv.RUNNER_DEBUG === "1", quiet: false });
  const tool = await readToolInfo();
  if (event.fork) {
    io.stdout.write(
      workflowCommand(
        "notice",
        `${label} comes from a fork: the workflow's token may only read, so Longview posts nothing on the pull request. The review is in the job summary.`,
        { title: "Longview: read-only" },
      ),
    );
  }
  const refused: RefusableWrite[] = [];
  const host = pullHost(
    tokenGitHub(env, {
      token: actionEnv.GITHUB_TOKEN,
      baseUrl: actionEnv.GITHUB_API_URL.replace(/\/+$/, ""),
      userAgent: `longview-action/${tool.version}`,
      ...(actionEnv.LONGVIEW_BOT_LOGIN ? { login: actionEnv.LONGVIEW_BOT_LOGIN } : {}),
      log,
    }),
    { post: !event.fork, mayRefuse: new Set(["check run", "review", "fixed reply"]), refused: (what) => void refused.push(what) },
  );

  const longview = compose(env, log);
  const outcome = await reviewPullRequest(
    host.host,
    {
      ref,
      ...(event.previousSha ? { previousSha: event.previousSha } : {}),
      ...(failOn !== undefined && !gateOff ? { gate: (configured: GatePolicy) => gateFor(failOn, configured) ?? configured } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    },
    longview.review,
    log,
  ).finally(() => longview.close());

  for (const what of refused) {
    io.stdout.write(
      workflowCommand(
        "warning",
        `GitHub refused the token the ${what} (403): give the workflow ${permissionFor(what)} (Dependabot's pull requests get a read-only token). The review is in the job summary.`,
        {
          title: "Longview: missing permission",
        },
      ),
    );
  }
  if (outcome.kind === "skipped") {
    io.stdout.write(workflowCommand("notice", `${label} was not reviewed: ${outcome.reason}`, { title: "Longview" }));
    await writeSummary(actionEnv, formatSkippedSummary(label, `Not reviewed: ${outcome.reason}`));
    await writeOutputs(actionEnv, { conclusion: "skipped", findings: 0, posted: false });
    return EXIT_OK;
  }

  const { verdict, result, config } = outcome;
  const notes = [
    event.fork
      ? "A pull request from a fork: the workflow's token may only read, so nothing was posted on the pull request."
      : host.posted()
        ? "The review is posted on the pull request."
        : refused.includes("review")
          ? "The review could not be posted: the token may not write pull requests."
          : "Nothing new to post: the findings were posted by an earlier run.",
    ...(!event.fork && !host.checkRunPosted() ? ["No check run: the token may not create one; the step's exit code is the gate."] : []),
    ...(gateOff ? ["`fail-on: none`: the step does not fail on findings."] : []),
  ];
  const summary = formatJobSummary({ label, verdict, result, configProblems: host.configProblems(), summary: config.review.summary, notes });
  await writeSummary(actionEnv, summary);
  // The review in the log too, as text the runner does not read for commands: it is the pull request's and the model's.
  io.stdout.write(uninterpretedBlock(summary, randomBytes(16).toString("hex")));
  if (event.fork || refused.includes("review")) for (const line of annotations(result.findings)) io.stdout.write(line);
  await writeOutputs(actionEnv, { conclusion: verdict.conclusion, findings: result.findings.length, posted: host.posted() });

  const failed = verdict.conclusion === "failure" && !gateOff;
  io.stdout.write(workflowCommand(failed ? "error" : "notice", `${label}: ${verdict.title}`, { title: `Longview: ${verdict.conclusion}` }));
  return failed ? EXIT_GATE_FAILED : EXIT_OK;
}

async function readEventFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new EventError(`cannot read the event at GITHUB_EVENT_PATH (${path}): ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EventError(`the event at GITHUB_EVENT_PATH (${path}) is not JSON`);
  }
}

/** The gate `fail-on` sets; null for `none`. */
function gateFor(failOn: string, configured: GatePolicy): GatePolicy | null {
  const parsed = parseFailOn(failOn, configured);
  if (parsed instanceof Error) throw new UsageError(parsed.message.replace("--fail-on", "fail-on"));
  return parsed;
}

function permissionFor(what: RefusableWrite): string {
  return what === "check run" ? "`checks: write`" : "`pull-requests: write`";
}

/** The findings as annotations on the pull request's diff, when the review could not be posted there. */
function annotations(findings: readonly PlacedFinding[]): string[] {
  const level = (f: PlacedFinding) => (f.severity === "P0" || f.severity === "P1" ? "error" : "warning");
  return (["error", "warning"] as const).flatMap((wanted) =>
    findings
      .filter((f) => level(f) === wanted && f.side === "RIGHT")
      .slice(0, MAX_ANNOTATIONS)
      .map((f) =>
        workflowCommand(wanted, f.body.length > 2_000 ? `${f.body.slice(0, 1_999)}…` : f.body, {
          file: f.path,
          line: f.startLine ?? f.line,
          endLine: f.line,
          title: `${f.severity} ${f.title}`.slice(0, 200),
        }),
      ),
  );
}

async function writeSummary(env: ActionEnv, text: string): Promise<void> {
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, text, "utf8");
}

async function writeOutputs(env: ActionEnv, outputs: ActionOutputs): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  await appendFile(env.GITHUB_OUTPUT, `conclusion=${outputs.conclusion}\nfindings=${outputs.findings}\nposted=${outputs.posted}\n`, "utf8");
}
