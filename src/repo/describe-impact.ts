import type { ApiChange, SignatureAspect } from "../domain/impact.js";
import { clipLine } from "./tool-text.js";

const ASPECT_TEXT: Readonly<Record<SignatureAspect, string>> = {
  "parameters-added": "parameters added",
  "parameters-removed": "parameters removed",
  "parameters-reordered": "parameters reordered",
  "parameter-renamed": "parameter renamed",
  "default-changed": "default changed",
  "return-type-changed": "return type changed",
  other: "signature changed",
};

/** What happened to the definition, in a few words ("parameters added, parameters reordered"). */
export function changeSummary(change: Pick<ApiChange, "kind" | "aspects" | "renamedTo">): string {
  switch (change.kind) {
    case "removed":
      return "removed";
    case "renamed":
      return `renamed to ${change.renamedTo ?? "?"}`;
    case "body-changed":
      return "body changed (same signature)";
    case "key-removed":
      return "key no longer present in this file";
    case "signature-changed":
      return change.aspects.map((a) => ASPECT_TEXT[a]).join(", ");
  }
}

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
