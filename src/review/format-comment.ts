import type { Finding, PlacedFinding } from "../domain/finding.js";
import type { Fingerprinted } from "./fingerprint.js";
import { defuseMarkers, fence, inlineCode, neutralizeLine, neutralizeUntrusted } from "./markdown.js";
import { findingMarker } from "./markers.js";

/** The body of one finding's review comment, as posted on GitHub. */
export function formatFindingComment(finding: PlacedFinding): string {
  const parts = [`**${finding.severity} · ${finding.category}** — ${neutralizeLine(finding.title)}`, ""];
  parts.push(neutralizeUntrusted(finding.body));
  if (finding.suggestion !== null && finding.placement === "inline") {
    // The suggestion is code the author may commit: only a forged marker is defused in it.
    parts.push("", fence("suggestion", defuseMarkers(finding.suggestion)));
  }
  // The note can quote a path, which comes from the pull request.
  if (finding.placementNote) parts.push("", `<sub>Placed here because it was ${neutralizeLine(finding.placementNote)}.</sub>`);
  parts.push("", `<sub>${formatCredit(finding)}</sub>`);
  const marker = markerFor(finding);
  if (marker) parts.push(marker);
  return parts.join("\n");
}

/** The hidden state marker of a fingerprinted finding; empty for findings without identity (CLI output). */
export function markerFor(finding: PlacedFinding | Fingerprinted): string {
  if (!("fingerprint" in finding)) return "";
  return findingMarker({ fingerprint: finding.fingerprint, anchor: finding.anchor, severity: finding.severity, category: finding.category });
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
