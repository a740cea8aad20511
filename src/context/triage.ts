import type { TriageKind } from "../domain/window.js";

/**
 * Files that get a lighter treatment: listed with a few of their changed
 * lines (the full text behind an expand ref), not reviewed line by line, and
 * counted as triaged in coverage. Changelogs say what changed, not how;
 * lockfile-like files are generated; CI configuration runs outside the
 * product. (Lockfiles the diff's file filter knows are skipped before this.)
 */

const CHANGELOG = /(^|\/)(CHANGELOG|CHANGES|HISTORY|NEWS|RELEASES|RELEASE[-_]NOTES)([-_][^/.]*)?(\.(md|markdown|mdx|rst|txt|adoc))?$/i;
const LOCKFILE_LIKE =
  /(^|\/)([^/]+\.lock|[^/]+-lock\.(json|ya?ml)|[^/]+\.lockfile|go\.sum|go\.work\.sum|npm-shrinkwrap\.json|gradle\.lockfile|requirements[^/]*\.lock|[^/]+\.lock\.json)$/i;
const CI = [
  /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i,
  /(^|\/)\.github\/actions\/.+\/action\.ya?ml$/i,
  /(^|\/)\.gitlab-ci\.ya?ml$/i,
  /(^|\/)\.gitlab\/ci\/.+\.ya?ml$/i,
  /(^|\/)\.circleci\/[^/]+\.ya?ml$/i,
  /(^|\/)azure-pipelines[^/]*\.ya?ml$/i,
  /(^|\/)Jenkinsfile[^/]*$/,
  /(^|\/)\.travis\.ya?ml$/i,
  /(^|\/)bitbucket-pipelines\.ya?ml$/i,
  /(^|\/)\.buildkite\/[^/]+\.ya?ml$/i,
  /(^|\/)\.drone\.ya?ml$/i,
  /(^|\/)appveyor\.ya?ml$/i,
  /(^|\/)\.woodpecker(\.ya?ml|\/[^/]+\.ya?ml)$/i,
];

export function triageKind(path: string): TriageKind | null {
  if (CHANGELOG.test(path)) return "changelog";
  if (LOCKFILE_LIKE.test(path)) return "lockfile";
  if (CI.some((re) => re.test(path))) return "ci";
  return null;
}

/**
 * Changed lines shown of a triaged file. CI configuration gets more: an
 * expression interpolated into a `run:` step is a classic injection, and a
 * few dozen lines usually show a workflow change whole.
 */
export const TRIAGE_SHOWN_LINES: Readonly<Record<TriageKind, number>> = { changelog: 8, lockfile: 6, ci: 40 };

export const TRIAGE_LABEL: Readonly<Record<TriageKind, string>> = {
  changelog: "Changelog",
  lockfile: "Lockfile-like file",
  ci: "CI configuration",
};
