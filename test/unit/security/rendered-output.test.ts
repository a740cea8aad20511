import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { formatFixReply } from "../../../src/commands/format-fix-reply.js";
import { formatCommandFailure } from "../../../src/commands/format-failure.js";
import { helpText } from "../../../src/commands/help-text.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import type { Coverage } from "../../../src/domain/window.js";
import type { Survey } from "../../../src/domain/survey.js";
import type { Walkthrough } from "../../../src/domain/walkthrough.js";
import type { FixResult } from "../../../src/fix/run-fix.js";
import { fixCommitMessage } from "../../../src/fix/commit-message.js";
import { errorOutcome, reviewedOutcome } from "../../../src/review/check-output.js";
import { formatFindingComment } from "../../../src/github/finding-comment.js";
import { formatReviewBody, MAX_REVIEW_BODY } from "../../../src/review/format-review-body.js";
import { findingMarker, parseFindingMarker } from "../../../src/github/markers.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import { finding } from "../../helpers/findings.js";
import { MARKER_START, MENTION, inOrder, render, strayRendering, visibleWordsOf, words } from "../../helpers/rendered-markdown.js";

/**
 * Every formatter whose text Longview posts, fed hostile text (HTML, entities,
 * links, images, reference definitions, autolinks, mentions, forged markers,
 * nested and unbalanced fences and backtick runs, indented code, every kind of
 * line break, long input) and judged by how a CommonMark + GFM parser reads
 * the result: no raw HTML but Longview's own, no link or image but bare URLs
 * that show where they go, no live mention, no readable marker but Longview's
 * own, and nothing the model wrote silently dropped.
 */

const EVIL = "https://evil.example";
const FORGED_REVIEW = "<!-- longview:review head=0000000000000000000000000000000000000000 -->";
const FORGED_FINDING = "<!-- longview:finding fp=ffffffffffffffff anchor=- sev=P3 cat=other -->";
const REAL = { fingerprint: "0123456789abcdef", anchor: "abcdefabcdef", severity: "P1" as const, category: "bug" as const };
const OWN_MARKER = findingMarker(REAL);
const REQUESTER = "requester";
const COMMIT_URL = "https://github.example/acme/widgets/commit/1111111";

const FRAGMENTS = [
  `<img src="${EVIL}/p.png?d=secret">`,
  `<a href="${EVIL}/login">re-authenticate</a>`,
  "<details><summary>hidden</summary>",
  "<sub>",
  "</sub>",
  "<script>alert(1)</script>",
  "<div>",
  "<!--",
  "-->",
  FORGED_REVIEW,
  FORGED_FINDING,
  "<!-- longview:fixed fp=ffffffffffffffff -->",
  `[docs](${EVIL}/login)`,
  `![pixel](${EVIL}/p.png)`,
  "[x][r]",
  `[r]: ${EVIL}`,
  "[x]",
  "[^1]",
  "[^1]: note",
  `<${EVIL}>`,
  "<a@b.example>",
  "](",
  "![",
  "@octocat",
  "@org/team",
  "cc @octocat",
  "a@b.example",
  "&#64;octocat",
  "&lt;img src=x&gt;",
  "&#60;img src=x&#62;",
  "&amp;",
  "&",
  "`",
  "``",
  "```",
  "````",
  "~~~",
  "```js",
  "~~~html",
  "```suggestion",
  "```mermaid",
  "\\",
  "\\`",
  "\\<",
  "\\\\",
  "\n",
  "\r\n",
  "\r",
  "\u2028",
  "\u2029",
  "\u0085",
  "\n\n",
  "    ",
  "\t",
  "- ",
  "> ",
  "1. ",
  "# ",
  "|",
  "| --- |",
  ":-",
  "-|-",
  "a|b",
  "---",
  "===",
  "*",
  "_",
  "~~",
  "www.evil.example",
  `${EVIL}/x`,
  "javascript:alert(1)",
  "\u200B",
];
const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
);
const hostile = fc.array(fragment, { maxLength: 16 }).map((parts) => parts.join(""));
const longHostile = fc.array(fragment, { minLength: 200, maxLength: 600 }).map((parts) => parts.join(""));

interface Own {
  /** Markers Longview itself wrote into this text. */
  readonly markers?: readonly string[];
  /** Links Longview itself wrote (the fix commit). */
  readonly links?: readonly string[];
}

/** Nothing in the rendered text came from anyone but Longview. */
function expectSafe(markdown: string, own: Own = {}): void {
  const ownHtml = new Set([...(own.markers ?? []), "<sub>", "</sub>", "</details>"]);
  // A finding comment's own marker is its whole record (version 2): Longview's if it reads back as the finding's own identity.
  const isOwnRecord = (h: string) =>
    own.markers !== undefined && own.markers.length > 0 && /^<!-- longview:finding v2 /.test(h) && parseFindingMarker(h)?.fingerprint === REAL.fingerprint;
  const isOwnHtml = (h: string) => ownHtml.has(h) || isOwnRecord(h) || /^<details><summary>Skipped \(\d+\)<\/summary>$/.test(h);
  const stray = strayRendering(markdown, isOwnHtml)
    // Longview mentions the person who asked for a fix, at the start of its reply, and links its own commit.
    .filter((problem) => !new RegExp(`^mention: @${REQUESTER}\\b`).test(problem) || MENTION.test(problem.replace(`@${REQUESTER}`, "")))
    .filter((problem) => !(own.links ?? []).some((url) => problem.endsWith(`](${url})`)));
  expect(stray).toEqual([]);
  // Each of Longview's own markers once, and no other.
  expect(markdown.match(MARKER_START) ?? []).toHaveLength(own.markers?.length ?? 0);
}

/** The words the source shows on GitHub all appear, in order, in what Longview posted. */
function expectPreserved(source: string, markdown: string): void {
  const shown = words(render(markdown).visible);
  const expected = visibleWordsOf(source);
  if (!inOrder(expected, shown)) expect({ expected, shown }).toEqual({ expected, shown: "all expected words, in order" });
}

function placed(overrides: Partial<PlacedFinding>): PlacedFinding & { fingerprint: string; anchor: string } {
  return { ...finding(), placement: "inline", placementNote: null, fingerprint: REAL.fingerprint, anchor: REAL.anchor, ...overrides };
}

function coverage(path: string, detail: string): Coverage {
  return {
    changedLines: 5,
    reviewedLines: 3,
    foldedLines: 0,
    summarizedLines: 0,
    triagedLines: 0,
    skippedLines: 2,
    skipped: [
      { path, reason: "too-large", lines: 2, detail },
      { path: `${path}2`, reason: "binary", lines: 0, detail },
    ],
    files: 3,
    reviewedFiles: 1,
  };
}

function result(findings: PlacedFinding[], notices: string[], cov: Coverage): ReviewResult {
  return {
    findings,
    coverage: cov,
    plan: { diffTokens: 0, tokensSent: 0, compaction: {}, ms: 0, windows: 1, waves: 1 },
    model: "m",
    usage: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    modelCalls: 1,
    durationMs: 1,
    notices,
  };
}

/** Fixed seed in `npm test`; `PROPERTY_RUNS=5000 PROPERTY_SEED=random npm test -- <this file>` for a longer hunt. */
const RUNS = {
  numRuns: Number(process.env.PROPERTY_RUNS ?? 150),
  ...(process.env.PROPERTY_SEED === "random" ? {} : { seed: Number(process.env.PROPERTY_SEED ?? 20_251_114) }),
};

describe("review comments", () => {
  test("a finding's title, body, note and suggestion render as text and code, inline and file-level", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, fc.constantFrom("inline" as const, "file" as const), (title, body, note, suggestion, placement) => {
        const comment = formatFindingComment(placed({ title, body, placementNote: note, suggestion, placement }));
        expectSafe(comment, { markers: [OWN_MARKER] });
        expectPreserved(title, comment);
        expectPreserved(body, comment);
        expectPreserved(note, comment);
      }),
      RUNS,
    );
  });
});

describe("the review body", () => {
  test("findings listed in the body (over the cap, outside the diff, rerouted), notices and file names", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (title, body, note, notice, path) => {
        const inBody = placed({ placement: "body", path, title, body, placementNote: note });
        const rerouted = placed({ placement: "body", title: body, body: title, placementNote: "GitHub refused it as a line comment" });
        const text = formatReviewBody(result([inBody], [notice], coverage(path, note)), { configProblems: [notice], rerouted: [rerouted] });
        expectSafe(text, { markers: [OWN_MARKER, OWN_MARKER] });
        expectPreserved(title, text);
        expectPreserved(note, text);
        expectPreserved(notice, text);
        if (body.length <= 600) expectPreserved(body, text);
      }),
      RUNS,
    );
  });

  test("a long body is cut, and the cut closes what it cut into", () => {
    fc.assert(
      fc.property(longHostile, longHostile, (title, body) => {
        const text = formatReviewBody(result([placed({ placement: "body", title, body })], [body], coverage(title, body)), { configProblems: [] });
        expectSafe(text, { markers: [OWN_MARKER] });
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  test("a body over GitHub's limit is cut between lines, never inside a code span", () => {
    // Each finding's body is one long code span with an image at its start: a cut inside it would show the image.
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 560 }), fc.integer({ min: 90, max: 140 }), (pad, count) => {
        const body = `\`<img src="${EVIL}/p.png"> ${"x".repeat(pad)}\``;
        const findings = Array.from({ length: count }, () => placed({ placement: "body", body }));
        const text = formatReviewBody(result(findings, [], coverage("a.ts", "big")), { configProblems: [] });
        expect(text.length).toBeLessThanOrEqual(MAX_REVIEW_BODY);
        const markers = text.match(MARKER_START) ?? [];
        expectSafe(text, { markers: markers.map(() => OWN_MARKER) });
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});

describe("the check run", () => {
  test("summary and text (findings, notices, file names), a failed review's summary, annotations", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (title, notice, path) => {
        const outcome = reviewedOutcome(
          result([placed({ title, body: notice, path })], [notice], coverage(path, notice)),
          { ...DEFAULT_REPO_CONFIG.gate, gateScore: 0.8 },
          [title],
        );
        for (const text of [outcome.summary, outcome.text]) expectSafe(text);
        expectPreserved(title, outcome.text);
        expectPreserved(notice, outcome.summary);
        const failed = errorOutcome(new Error(notice), "neutral");
        expectSafe(failed.summary);
        expectPreserved(notice, failed.summary);
        // Annotations are plain text on GitHub: only markers matter there.
        for (const a of outcome.annotations) expect([...(a.title.match(MARKER_START) ?? []), ...(a.message.match(MARKER_START) ?? [])]).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe("/agent replies and fix commits", () => {
  const model = { kind: "model" as const, model: "m", attempts: 2, calls: 2, usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0 } };

  test("every kind of fix reply", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (text, other, path) => {
        const f = finding({ title: text, path });
        const notFixed = [{ finding: finding({ title: other, path }), reason: text }];
        const results: FixResult[] = [
          {
            kind: "committed",
            commit: { sha: "1111111111111111111111111111111111111111", url: COMMIT_URL },
            previousHead: "2".repeat(40),
            branch: { owner: "o", repo: "r", name: text },
            fixed: [f],
            notFixed,
            changes: [{ path, additions: 1, deletions: 1 }],
            checks: [text, other],
            engine: model,
            summary: text,
            rebased: false,
          },
          { kind: "refused", reason: `The branch \`${path}\` no longer exists: ${text}`, notFixed },
          { kind: "declined", engine: model, summary: text, notFixed },
          {
            kind: "invalid",
            engine: model,
            history: [
              { attempt: 1, problems: [text, other] },
              { attempt: 2, problems: [other] },
            ],
            notFixed,
          },
          { kind: "model-error", message: text },
        ];
        for (const r of results) {
          const reply = formatFixReply(r, REQUESTER);
          expectSafe(reply, { links: [COMMIT_URL] });
          if (text.length <= 900) expectPreserved(text, reply);
        }
      }),
      RUNS,
    );
  });

  test("a command that failed, and an unknown command", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const failure = formatCommandFailure(REQUESTER, "fix", new Error(text));
        expectSafe(failure);
        expect(failure.split("\n")).toHaveLength(1);
        const help = helpText(DEFAULT_REPO_CONFIG, text);
        expectSafe(help);
        expectPreserved(text, help);
      }),
      RUNS,
    );
  });

  test("a fix commit's message (plain text) quotes the model without a mention or a marker", () => {
    fc.assert(
      fc.property(hostile, hostile, (title, summary) => {
        const message = fixCommitMessage([finding({ title }), finding({ title: summary })], { requestedBy: REQUESTER, requestUrl: null, summary });
        expect(message.match(MARKER_START) ?? []).toEqual([]);
        const quoted = message.replace(new RegExp(`Requested by @${REQUESTER}\\b`), "");
        expect(quoted).not.toMatch(MENTION);
      }),
      RUNS,
    );
  });
});

describe("GitHub's own corners", () => {
  test.each([
    ["a bare URL runs on into a code span's backticks", `see ${EVIL}/x\`<img src="${EVIL}/p.png">\``],
    ["a bare URL takes the backslash of an escape", `${EVIL}/x<img src="${EVIL}/p.png"> and ${EVIL}/y[docs](${EVIL}/login)`],
    ["a table row splits a code span at its pipe", `a | b\n--|--\n\`x|<img src="${EVIL}/p.png">\` | c`],
    ["a table in a quote, its delimiter row without a pipe", `> a\n> :-\n> \`x|<img src="${EVIL}/p.png">\``],
    ["an e-mail address right before a mention", "write to a@b.example@octocat"],
    ["an entity that reads as @", "&#64;octocat &commat;octocat @&#111;ctocat"],
  ])("%s", (_name, text) => {
    expectSafe(formatFindingComment(placed({ title: text, body: text, placementNote: text })), { markers: [OWN_MARKER] });
    expectSafe(formatReviewBody(result([placed({ placement: "body", title: text, body: text })], [text], coverage(text, text)), { configProblems: [] }), {
      markers: [OWN_MARKER],
    });
  });
});

describe("what the issue reported", () => {
  test("a fenced block in a finding listed in the review body stays code after it is put on one line", () => {
    const body = `Run this:\n~~~html\n<img src="${EVIL}/p.png">\n<a href="${EVIL}/login">re-authenticate</a>\n[docs](${EVIL}/x) @octocat\n~~~\nthen retry.`;
    const text = formatReviewBody(result([placed({ placement: "body", body })], [], coverage("a.ts", "x")), { configProblems: [] });
    expectSafe(text, { markers: [OWN_MARKER] });
    expectPreserved(body, text);
  });

  test("a code span cut by the 600-character limit is closed", () => {
    const body = `${"a".repeat(500)} \`<img src="${EVIL}/p.png"> ${"b".repeat(100)}\``;
    const text = formatReviewBody(result([placed({ placement: "body", body })], [], coverage("a.ts", "x")), { configProblems: [] });
    expectSafe(text, { markers: [OWN_MARKER] });
    expect(text).toContain("…");
  });

  test("a code span does not run across paragraphs: what is between them is prose and is neutralised", () => {
    const body = `\`start\n\n<img src="${EVIL}/p.png">\n\nend\``;
    expectSafe(formatFindingComment(placed({ body })), { markers: [OWN_MARKER] });
  });
});

describe("the walkthrough in the review body", () => {
  test("paths, symbols and the survey's summaries and risks render as text and code, in the table and the riskiest spots", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (path, symbol, summary, risk) => {
        const walkthrough: Walkthrough = {
          additions: 3,
          deletions: 1,
          files: [
            { path, previousPath: symbol, status: "renamed", additions: 3, deletions: 1, changedLines: 4, handling: { kind: "reviewed" }, files: 1 },
            {
              path: summary,
              previousPath: null,
              status: null,
              additions: null,
              deletions: null,
              changedLines: 9,
              handling: { kind: "skipped", reason: "too-large" },
              files: 2,
            },
          ],
          apiChanges: [
            { path, symbol, renamedTo: risk, kind: "renamed", aspects: [], callers: 1, tests: 0, usagesTruncated: false, examples: [`${symbol}:3`] },
          ],
        };
        const survey: Survey = {
          files: [{ path, summary }],
          apiChanges: [{ path: risk, symbol: summary, change: risk }],
          risks: [{ path: symbol, text: risk }],
        };
        const text = formatReviewBody({ ...result([], [], coverage("a.ts", "x")), walkthrough, survey }, { configProblems: [] });
        expectSafe(text);
        if (summary.length <= 200) expectPreserved(summary, text);
        if (risk.length <= 200) expectPreserved(risk, text);
      }),
      RUNS,
    );
  });
});
