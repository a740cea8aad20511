import { minimatch } from "minimatch";
import type { Suppression } from "../config/repo-config.js";
import type { Finding } from "../domain/finding.js";

/**
 * `review.suppress` in `.github/longview.yml`: findings a repository has
 * decided not to hear about. An entry matches a finding when every field it
 * gives matches: `rule` the rule id exactly, `path` as a glob (dotfiles
 * included), `title` as text inside the title, ignoring case.
 */

export function isSuppressed(finding: Pick<Finding, "path" | "ruleId" | "title">, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => matches(finding, s));
}

function matches(finding: Pick<Finding, "path" | "ruleId" | "title">, s: Suppression): boolean {
  if (s.rule !== undefined && finding.ruleId !== s.rule) return false;
  if (s.path !== undefined && !minimatch(finding.path, s.path, { dot: true, nocomment: true, nonegate: true })) return false;
  if (s.title !== undefined && !finding.title.toLowerCase().includes(s.title.toLowerCase())) return false;
  return true;
}
