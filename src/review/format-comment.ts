import type { Finding, PlacedFinding } from "../domain/finding.js";
import { fence, inlineCode, neutralizeUntrusted } from "./markdown.js";

/** The body of one finding's review comment, as posted on GitHub. */
export function formatFindingComment(finding: PlacedFinding): string {
  const parts = [`**${finding.severity} · ${finding.category}** — ${neutralizeUntrusted(oneLine(finding.title))}`, ""];
  parts.push(neutralizeUntrusted(finding.body.trim()));
  if (finding.suggestion !== null && finding.placement === "inline") {
    parts.push("", fence("suggestion", finding.suggestion));
  }
  if (finding.placementNote) parts.push("", `<sub>Placed here because it was ${finding.placementNote}.</sub>`);
  parts.push("", `<sub>${formatCredit(finding)}</sub>`);
  return parts.join("\n");
}

export function formatCredit(finding: Finding): string {
  const rule = finding.ruleId ? ` ${inlineCode(finding.ruleId)}` : "";
  const others = finding.corroboratedBy.join(", ");
  // After merging, an agent finding may carry the corroborating analyzer's rule id.
  if (finding.source === "agent") return `Longview · agent${others ? `; also reported by ${others}${rule}` : ""}`;
  return `Longview · ${finding.source}${rule}${others ? `; also reported by ${others}` : ""}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
