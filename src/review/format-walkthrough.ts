import type { FileStatus } from "../domain/change-set.js";
import type { Survey } from "../domain/survey.js";
import type { SummaryMode, Walkthrough, WalkthroughApiChange, WalkthroughFile } from "../domain/walkthrough.js";
import { inlineCode, neutralizeLine, truncate } from "../markdown/untrusted.js";

/**
 * The walkthrough the review body opens with: a sentence on the change, a
 * table of its files (one line each: the survey's summary, or offline the
 * file's status and how it was reviewed) and the riskiest spots (changed API
 * with its unchanged users, the survey's risks and API changes). Paths,
 * symbols and survey text are untrusted: every piece is neutralised, clipped
 * and escaped for its table cell, and the whole stays within `maxChars`.
 */

const MAX_TABLE_ROWS = 60;
const MAX_SPOTS = { full: 8, brief: 5 } as const;
const MAX_PATH = 160;
const MAX_SYMBOL = 80;
const MAX_TEXT = 200;

export function formatWalkthrough(
  walkthrough: Walkthrough,
  survey: Survey | null,
  mode: SummaryMode,
  maxChars: number,
  title = "What this pull request does",
): string | null {
  if (mode === "off" || walkthrough.files.length === 0) return null;
  const head = [`**${title}**`, "", summarySentence(walkthrough, mode)];
  const spots = riskiestSpots(walkthrough, survey, MAX_SPOTS[mode]);
  const tail = spots.length > 0 ? ["", "**Riskiest spots**", "", ...spots.map((s) => `- ${s}`)] : [];
  const fixed = [...head, ...tail].join("\n");
  if (mode === "brief" || fixed.length >= maxChars) return cutLines(fixed, maxChars);
  // The table gets what the summary and the spots leave of the budget.
  const table = fileTable(walkthrough, survey, maxChars - fixed.length - 2);
  return [...head, ...(table ? ["", table] : []), ...tail].join("\n");
}

/** The walkthrough's opening sentence; plain text (no Markdown), so terminals can show it too. */
export function summarySentence(w: Walkthrough, mode: SummaryMode): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const files = w.files.reduce((sum, f) => sum + f.files, 0);
  const byStatus = new Map<string, number>();
  for (const f of w.files) if (f.status) byStatus.set(f.status, (byStatus.get(f.status) ?? 0) + 1);
  const statuses = [...byStatus.entries()].map(([status, count]) => `${n(count)} ${status}`);
  const parts = [
    `Changes ${n(files)} file${files === 1 ? "" : "s"} (+${n(w.additions)} −${n(w.deletions)})${statuses.length > 0 ? `: ${statuses.join(", ")}` : ""}.`,
  ];
  const contract = w.apiChanges.filter((c) => c.kind !== "body-changed");
  if (w.apiChanges.length > 0) {
    const users = w.apiChanges.reduce((sum, c) => sum + c.callers, 0);
    const tests = w.apiChanges.reduce((sum, c) => sum + c.tests, 0);
    const more = w.apiChanges.some((c) => c.usagesTruncated) ? "at least " : "";
    parts.push(
      `Changed definitions: ${n(w.apiChanges.length)} (${n(contract.length)} with a changed signature, name or existence), used in ${more}${n(users)} unchanged line${users === 1 ? "" : "s"} elsewhere${tests > 0 ? ` and ${n(tests)} in tests` : ""}.`,
    );
  }
  if (mode === "brief") {
    const triaged = w.files.filter((f) => f.handling.kind === "triaged").length;
    const skipped = w.files.filter((f) => f.handling.kind === "skipped").reduce((sum, f) => sum + f.files, 0);
    if (triaged + skipped > 0) parts.push(`Triaged (listed, not reviewed line by line): ${n(triaged)}; not reviewed: ${n(skipped)}.`);
  }
  return parts.join(" ");
}

function fileTable(w: Walkthrough, survey: Survey | null, budget: number): string | null {
  const summaries = new Map((survey?.files ?? []).map((f) => [f.path, f.summary]));
  const changedApi = new Map<string, string[]>();
  for (const c of w.apiChanges) changedApi.set(c.path, [...(changedApi.get(c.path) ?? []), c.symbol]);
  const header = ["| File | Lines | What changed |", "| --- | ---: | --- |"];
  const rows: string[] = [];
  // Room for the "… N more files" row.
  let length = header.join("\n").length + 40;
  for (const f of w.files) {
    if (rows.length >= MAX_TABLE_ROWS) break;
    const row = `| ${fileCell(f)} | ${linesCell(f)} | ${escapeCell(changeCell(f, summaries.get(f.path) ?? null, changedApi.get(f.path) ?? []))} |`;
    if (length + row.length + 1 > budget) break;
    rows.push(row);
    length += row.length + 1;
  }
  if (rows.length === 0) return null;
  const left = w.files.slice(rows.length).reduce((sum, f) => sum + f.files, 0);
  if (left > 0) rows.push(`| … ${left.toLocaleString("en-US")} more file${left === 1 ? "" : "s"} | | |`);
  return [...header, ...rows].join("\n");
}

function fileCell(f: WalkthroughFile): string {
  // GitHub's unlisted files have a description for a path, not a path.
  if (f.files > 1) return escapeCell(neutralizeLine(f.path, MAX_PATH));
  return escapeCell(codePath(f.path));
}

function linesCell(f: WalkthroughFile): string {
  return f.additions !== null && f.deletions !== null ? `+${f.additions} −${f.deletions}` : f.changedLines.toLocaleString("en-US");
}

/** The survey's line for the file, or without it the file's status and the definitions it changes. */
function changeCell(f: WalkthroughFile, summary: string | null, definitions: readonly string[]): string {
  const status = f.status ? statusText(f.status, f.previousPath) : null;
  const shown = definitions.slice(0, 3).map(codeSymbol);
  const more = definitions.length > shown.length ? ` and ${definitions.length - shown.length} more` : "";
  const said = summary !== null ? neutralizeLine(summary, MAX_TEXT) : shown.length > 0 ? `${status ?? "changed"}; changes ${shown.join(", ")}${more}` : null;
  const what = said === null ? (status ?? "") : summary !== null && status && f.status !== "modified" ? `${status} · ${said}` : said;
  const how = f.handling.kind === "triaged" ? `triaged: ${f.handling.triage}` : f.handling.kind === "skipped" ? `not reviewed: ${f.handling.reason}` : null;
  if (how === null) return what;
  return what === "" ? `_${how}_` : `${what} _(${how})_`;
}

function statusText(status: FileStatus, previousPath: string | null): string {
  if ((status === "renamed" || status === "copied") && previousPath) return `${status} from ${codePath(previousPath)}`;
  return status;
}

/**
 * Changed API with unchanged users, the survey's risks and its API changes,
 * taken in turn so that neither source crowds out the other.
 */
function riskiestSpots(w: Walkthrough, survey: Survey | null, max: number): string[] {
  const known = new Set(w.apiChanges.map((c) => `${c.path}\u0000${c.symbol}`));
  const api = w.apiChanges.filter((c) => c.kind !== "body-changed" || c.callers + c.tests > 0).map(apiSpot);
  const risks = (survey?.risks ?? []).map((r) => `${r.path ? `${codePath(r.path)}: ` : ""}${neutralizeLine(r.text, MAX_TEXT)}`);
  const surveyApi = (survey?.apiChanges ?? [])
    .filter((c) => !known.has(`${c.path}\u0000${c.symbol}`))
    .map((c) => `${codePath(c.path)} — ${codeSymbol(c.symbol)}: ${neutralizeLine(c.change, MAX_TEXT)}`);
  const out: string[] = [];
  for (let i = 0; out.length < max && i < Math.max(api.length, risks.length, surveyApi.length); i++) {
    for (const list of [api, risks, surveyApi]) if (i < list.length && out.length < max) out.push(list[i] as string);
  }
  return out;
}

function apiSpot(c: WalkthroughApiChange): string {
  const what =
    c.kind === "renamed" && c.renamedTo
      ? `renamed to ${codeSymbol(c.renamedTo)}`
      : c.kind === "signature-changed" && c.aspects.length > 0
        ? `signature changed (${c.aspects.map((a) => a.replace(/-/g, " ")).join(", ")})`
        : c.kind.replace(/-/g, " ");
  const more = c.usagesTruncated ? "at least " : "";
  const users =
    c.callers + c.tests === 0
      ? "no unchanged users found"
      : `used in ${more}${c.callers} unchanged line${c.callers === 1 ? "" : "s"}${c.tests > 0 ? ` and ${c.tests} in tests` : ""}${
          c.examples.length > 0 ? ` (e.g. ${c.examples.map(codePath).join(", ")})` : ""
        }`;
  return `${codePath(c.path)} — ${codeSymbol(c.symbol)}: ${what}; ${users}`;
}

function codePath(path: string): string {
  return inlineCode(truncate(path, MAX_PATH));
}

function codeSymbol(symbol: string): string {
  return inlineCode(truncate(symbol, MAX_SYMBOL));
}

/** Whole lines up to `max` characters: every line is complete Markdown of its own. */
function cutLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf("\n", max - 2);
  return `${cut > 0 ? text.slice(0, cut) : ""}\n…`;
}

/** A pipe ends a table cell unless a backslash escapes it; one already escaped (an odd run of backslashes before it) stays as it is. */
export function escapeCell(text: string): string {
  let out = "";
  let backslashes = 0;
  for (const c of text.replace(/\n/g, " ")) {
    if (c === "|" && backslashes % 2 === 0) out += "\\";
    backslashes = c === "\\" ? backslashes + 1 : 0;
    out += c;
  }
  return out;
}
