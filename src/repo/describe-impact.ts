import { changeSummary, type ApiChange } from "../domain/impact.js";
import { clipLine } from "./tool-text.js";

/** One line for an "api-change" memory note. */
export function describeApiChange(change: ApiChange): string {
  const after = change.after === null ? "" : ` → ${clipLine(change.after.text, 160)}`;
  const callers = change.usages.filter((u) => u.kind !== "test").length;
  const used =
    callers === 0
      ? "no unchanged callers found"
      : `${callers}${change.usagesTruncated ? "+" : ""} unchanged caller(s), e.g. ${change.usages[0]!.path}:${change.usages[0]!.line}`;
  return `${change.symbol}: ${changeSummary(change)}: ${clipLine(change.before.text, 160)}${after}; ${used}`;
}
