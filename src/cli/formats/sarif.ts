import { createHash } from "node:crypto";
import type { Category, PlacedFinding, Severity } from "../../domain/finding.js";
import { isModelSource, severityRank } from "../../domain/finding.js";
import { lineReader } from "../../review/fingerprint.js";
import { gapsTitle } from "../../review/completeness.js";
import { formatBreakdown } from "../../review/format-review-body.js";
import { coverageLines, hasCompactedLines, type CoverageLines } from "../../domain/window.js";
import { allNotices, type CliReport } from "../report.js";
import { plainBody } from "./plain-text.js";

/**
 * SARIF 2.1.0 for GitHub code scanning. Only head-side (RIGHT) findings become
 * results: code scanning shows a result only with a region in a file of the
 * analysed commit, and a deleted line has none. Findings on deleted lines are
 * listed as tool execution notifications instead, so they are not lost.
 */

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "longview/v1";

type Level = "error" | "warning" | "note";

const LEVEL: Record<Severity, Level> = { P0: "error", P1: "error", P2: "warning", P3: "note" };

/** GitHub's security-severity bands: critical ≥ 9, high ≥ 7, medium ≥ 4, low > 0. */
const SECURITY_SEVERITY: Record<Severity, string> = { P0: "9.5", P1: "8.0", P2: "5.0", P3: "2.0" };

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly defaultConfiguration: { readonly level: Level };
  readonly properties: { readonly tags: readonly string[]; readonly precision: string; readonly "security-severity"?: string };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: Level;
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId: "%SRCROOT%" };
      readonly region: { readonly startLine: number; readonly endLine: number };
    };
  }[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: {
    readonly severity: Severity;
    readonly category: Category;
    readonly source: string;
    readonly confidence: number;
    readonly corroboratedBy: readonly string[];
    readonly placement: string;
    /** How a model finding was checked before it was reported; absent for analyzer findings. */
    readonly verification?: { readonly status: string; readonly score: number; readonly reason: string };
  };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: readonly [
    {
      readonly tool: {
        readonly driver: {
          readonly name: "Longview";
          readonly version: string;
          readonly semanticVersion: string;
          readonly informationUri?: string;
          readonly rules: readonly SarifRule[];
        };
      };
      readonly results: readonly SarifResult[];
      /** Longview's coverage of the change: every changed line in exactly one category (as in the JSON report). */
      readonly properties: {
        readonly coverage: CoverageLines;
      };
      readonly invocations: readonly [
        {
          readonly executionSuccessful: true;
          readonly toolExecutionNotifications: readonly { readonly level: Level; readonly message: { readonly text: string } }[];
        },
      ];
    },
  ];
}

/** The SARIF rule id of a finding: its analyzer rule, or `longview/<category>` for the model's findings. */
export function sarifRuleId(f: PlacedFinding): string {
  if (f.ruleId) return f.ruleId;
  return isModelSource(f.source) ? `longview/${f.category}` : `${f.source}/${f.category}`;
}

export function toSarif(report: CliReport): SarifLog {
  const reportable = report.result.findings.filter((f) => f.side === "RIGHT");
  const deleted = report.result.findings.filter((f) => f.side === "LEFT");
  const rules = buildRules(reportable);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const seen = new Map<string, number>();
  const lineText = lineReader(report.changeSet);
  const results = reportable.map((f): SarifResult => {
    const ruleId = sarifRuleId(f);
    const base = fingerprint(f.path, ruleId, lineText(f.path, f.line, f.side) ?? "");
    // Identical lines with the same rule in one file must still get distinct fingerprints.
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    return {
      ruleId,
      ruleIndex: ruleIndex.get(ruleId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: messageText(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(f.path), uriBaseId: "%SRCROOT%" },
            region: { startLine: f.startLine ?? f.line, endLine: f.line },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${occurrence}` },
      properties: {
        severity: f.severity,
        category: f.category,
        source: f.source,
        confidence: f.confidence,
        corroboratedBy: f.corroboratedBy,
        placement: f.placement,
        ...(f.verification ? { verification: { status: f.verification.status, score: f.verification.score, reason: f.verification.reason } } : {}),
      },
    };
  });

  const coverage = report.result.coverage;
  const notifications = [
    ...allNotices(report).map((text) => ({ level: "note" as const, message: { text } })),
    ...(hasCompactedLines(coverage) ? [{ level: "note" as const, message: { text: `Coverage of the changed lines: ${formatBreakdown(coverage)}.` } }] : []),
    // A review that did not cover the change says so where code scanning shows the run's problems.
    ...(report.gate.gaps ? [{ level: report.gate.passed ? ("warning" as const) : ("error" as const), message: { text: gapsTitle(report.gate.gaps) } }] : []),
    ...deleted.map((f) => ({
      level: LEVEL[f.severity],
      message: {
        text: `Not a code scanning result because it is on a deleted line (line ${f.line} of the base version of ${f.path}): ${f.severity} ${f.category}: ${f.title}\n\n${plainBody(f.body)}`,
      },
    })),
  ];

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Longview",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(report.tool.informationUri ? { informationUri: report.tool.informationUri } : {}),
            rules,
          },
        },
        results,
        properties: {
          coverage: coverageLines(coverage),
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      },
    ],
  };
}

export function formatSarif(report: CliReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

function buildRules(findings: readonly PlacedFinding[]): SarifRule[] {
  const byRule = new Map<string, PlacedFinding[]>();
  for (const f of findings) byRule.set(sarifRuleId(f), [...(byRule.get(sarifRuleId(f)) ?? []), f]);
  return [...byRule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, group]) => {
      const worst = [...group].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0] as PlacedFinding;
      const security = group.some((f) => f.category === "security");
      const tags = [...new Set([worst.category, ...group.map((f) => f.category), worst.source])];
      return {
        id,
        name: ruleName(id),
        shortDescription: { text: isModelSource(worst.source) ? `Longview model review: ${worst.category} problem` : `${worst.source}: ${id}` },
        defaultConfiguration: { level: LEVEL[worst.severity] },
        properties: {
          tags,
          precision: isModelSource(worst.source) ? "medium" : "high",
          ...(security ? { "security-severity": SECURITY_SEVERITY[worst.severity] } : {}),
        },
      };
    });
}

function messageText(f: PlacedFinding): string {
  const suggestion = f.suggestion !== null ? `\n\nSuggested replacement:\n${f.suggestion}` : "";
  return `${f.severity} ${f.category}: ${f.title}\n\n${plainBody(f.body)}${suggestion}`;
}

/** Stable across runs and unrelated edits: the file, the rule and the whitespace-normalised text of the line. */
export function fingerprint(path: string, ruleId: string, text: string): string {
  const normalized = text.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${path}\0${ruleId}\0${normalized}`).digest("hex").slice(0, 32);
}

/** A repository-relative URI: each path segment percent-encoded. */
export function toUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");
}
