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
  const from = finding.ruleId ? `${finding.source} ${inlineCode(finding.ruleId)}` : finding.source;
  const also = finding.corroboratedBy.length > 0 ? `; also reported by ${finding.corroboratedBy.join(", ")}` : "";
  return `Longview · ${from}${also}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
