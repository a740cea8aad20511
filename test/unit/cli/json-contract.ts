import { z } from "zod";

/**
 * The documented JSON report (docs/cli.md), written out independently of the
 * implementation: if the output drifts from the documented contract, tests fail.
 */

const SOURCES = z.enum(["agent", "eslint", "secretlint", "longview-rules", "synthesis"]);

export const JsonFindingContract = z
  .object({
    path: z.string().min(1),
    line: z.number().int().positive(),
    start_line: z.number().int().positive().nullable(),
    side: z.enum(["LEFT", "RIGHT"]),
    severity: z.enum(["P0", "P1", "P2", "P3"]),
    category: z.enum(["bug", "security", "performance", "other"]),
    title: z.string().min(1),
    body: z.string(),
    suggestion: z.string().nullable(),
    source: SOURCES,
    ruleId: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    corroboratedBy: z.array(SOURCES),
    placement: z.enum(["inline", "file", "body"]),
    verification: z
      .object({ status: z.enum(["confirmed", "unverified", "failed"]), score: z.number().min(0).max(1), reason: z.string() })
      .strict()
      .nullable(),
  })
  .strict();

const count = z.number().int().min(0);

/** Added to version 1 compatibly: what stood between the candidate findings and the report. */
export const JsonCheckedContract = z
  .object({
    candidates: count,
    droppedEvidence: count,
    droppedScope: count,
    reanchored: count,
    merged: count,
    droppedConsistency: count,
    droppedVerification: count,
    withheld: count,
    verification: z
      .object({
        enabled: z.boolean(),
        checked: count,
        confirmed: count,
        rejected: count,
        uncertain: count,
        belowScore: count,
        failed: count,
        modelCalls: count,
        inputTokens: count,
        outputTokens: count,
      })
      .strict()
      .nullable(),
  })
  .strict();

const FILE_STATUS = z.enum(["added", "modified", "removed", "renamed", "copied", "binary", "mode-only"]);

/** Added to version 1 compatibly: consumers that ignore it see the report they saw before. */
export const JsonWalkthroughContract = z
  .object({
    additions: z.number().int().min(0),
    deletions: z.number().int().min(0),
    files: z.array(
      z
        .object({
          path: z.string().min(1),
          previousPath: z.string().nullable(),
          status: FILE_STATUS.nullable(),
          additions: z.number().int().min(0).nullable(),
          deletions: z.number().int().min(0).nullable(),
          changedLines: z.number().int().min(0),
          files: z.number().int().min(1),
          review: z.enum(["reviewed", "triaged", "skipped"]),
          reason: z.string().min(1).nullable(),
          summary: z.string().nullable(),
        })
        .strict(),
    ),
    apiChanges: z.array(
      z
        .object({
          path: z.string().min(1),
          symbol: z.string().min(1),
          renamedTo: z.string().nullable(),
          kind: z.enum(["signature-changed", "removed", "renamed", "body-changed", "key-removed"]),
          aspects: z.array(z.string().min(1)),
          callers: z.number().int().min(0),
          tests: z.number().int().min(0),
          usagesTruncated: z.boolean(),
          examples: z.array(z.string().regex(/:\d+$/)).max(3),
        })
        .strict(),
    ),
    surveyApiChanges: z.array(z.object({ path: z.string(), symbol: z.string(), change: z.string() }).strict()),
    risks: z.array(z.object({ path: z.string().nullable(), text: z.string() }).strict()),
  })
  .strict();

export const JsonReportContract = z
  .object({
    version: z.literal(1),
    findings: z.array(JsonFindingContract),
    coverage: z
      .object({
        changedLines: z.number().int().min(0),
        reviewedLines: z.number().int().min(0),
        foldedLines: z.number().int().min(0),
        summarizedLines: z.number().int().min(0),
        triagedLines: z.number().int().min(0),
        skippedLines: z.number().int().min(0),
        files: z.number().int().min(0),
        reviewedFiles: z.number().int().min(0),
        skipped: z.array(z.object({ path: z.string(), reason: z.string().min(1), lines: z.number().int().min(0), detail: z.string().nullable() }).strict()),
      })
      .strict(),
    gate: z
      .object({
        passed: z.boolean(),
        policy: z.string().regex(/^(none|P[0-3]:[a-z]+(,[a-z]+)*)$/),
        gating: z.number().int().min(0),
        incomplete: z.string().startsWith("Incomplete: ").nullable(),
        onIncomplete: z.enum(["failure", "neutral", "success"]),
      })
      .strict(),
    walkthrough: JsonWalkthroughContract.nullable(),
    checked: JsonCheckedContract.nullable(),
    model: z.string().nullable(),
    notices: z.array(z.string()),
    stats: z
      .object({
        durationMs: z.number().min(0),
        windows: z.number().int().min(0),
        waves: z.number().int().min(0),
        modelCalls: z.number().int().min(0),
        inputTokens: z.number().int().min(0),
        outputTokens: z.number().int().min(0),
        reasoningTokens: z.number().int().min(0),
        diffTokens: z.number().int().min(0),
        tokensSent: z.number().int().min(0),
      })
      .strict(),
  })
  .strict();

export type JsonReportContract = z.infer<typeof JsonReportContract>;

/** The parts of SARIF 2.1.0 that GitHub code scanning requires or uses, as the CLI emits them. */
export const SarifContract = z.object({
  $schema: z.url(),
  version: z.literal("2.1.0"),
  runs: z
    .array(
      z.object({
        tool: z.object({
          driver: z.object({
            name: z.literal("Longview"),
            version: z.string().min(1),
            informationUri: z.url().optional(),
            rules: z.array(
              z.object({
                id: z.string().min(1),
                shortDescription: z.object({ text: z.string().min(1) }),
                defaultConfiguration: z.object({ level: z.enum(["error", "warning", "note"]) }),
                properties: z.object({
                  tags: z.array(z.string()),
                  "security-severity": z
                    .string()
                    .regex(/^\d+(\.\d+)?$/)
                    .optional(),
                }),
              }),
            ),
          }),
        }),
        results: z.array(
          z.object({
            ruleId: z.string().min(1),
            ruleIndex: z.number().int().min(0),
            level: z.enum(["error", "warning", "note"]),
            message: z.object({ text: z.string().min(1) }),
            locations: z
              .array(
                z.object({
                  physicalLocation: z.object({
                    artifactLocation: z.object({
                      uri: z
                        .string()
                        .min(1)
                        .refine((u) => !u.startsWith("/") && !/^[a-z]+:/i.test(u)),
                    }),
                    region: z.object({ startLine: z.number().int().positive(), endLine: z.number().int().positive() }),
                  }),
                }),
              )
              .min(1),
            partialFingerprints: z.record(z.string(), z.string().min(1)),
          }),
        ),
      }),
    )
    .length(1),
});
