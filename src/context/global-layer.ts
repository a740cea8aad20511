import type { ChangeSet } from "../domain/change-set.js";
import type { GlobalLayer } from "../domain/window.js";
import type { PlanLimits } from "./budget.js";
import { buildFileMap } from "./file-map.js";
import { oneLine } from "./render.js";
import { clipToTokens, countTokens } from "./tokens.js";

export interface GlobalInput {
  readonly title: string;
  readonly description: string;
  readonly guidelines: string;
}

/** The layer every window repeats: kept within fixed shares of the window so the code under review keeps the rest. */
export function buildGlobalLayer(changeSet: ChangeSet, input: GlobalInput, limits: PlanLimits): GlobalLayer {
  return {
    title: capText(oneLine(input.title).trim(), limits.titleTokens, "title", " "),
    description: capText(tidy(input.description), limits.descriptionTokens, "description", "\n"),
    guidelines: capText(tidy(input.guidelines), limits.guidelinesTokens, "guidelines", "\n"),
    fileMap: buildFileMap(changeSet.files, changeSet.skipped, limits.fileMapTokens),
  };
}

/** PR templates leave HTML comments and runs of blank lines behind; neither helps a reviewer. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/(?<![ \t])[ \t]+$/gm, "") // the lookbehind keeps this linear on long runs of blanks (untrusted text)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function capText(text: string, maxTokens: number, what: string, separator: string): string {
  if (countTokens(text) <= maxTokens) return text;
  const kept = clipToTokens(text, Math.max(0, maxTokens - 24)).trimEnd();
  return `${kept}${separator}[... ${what} cut: ${text.length - kept.length} more characters not shown]`;
}
