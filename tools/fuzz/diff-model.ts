import fc from "fast-check";
import type { DiffLine, FileStatus } from "../../src/domain/change-set.js";

/**
 * A model of a diff (files, hunks, lines) rendered to the text git or
 * `diff -u` would print, so a parse can be compared with what was meant.
 * Every shape the parser must survive is here: renames, copies, binary
 * markers, mode changes, submodules, quoted and unicode paths, CRLF,
 * "\ No newline at end of file", zero-length sides, single-line counts
 * written without ",1", text that looks like diff syntax.
 */

export type ModelKind = "modified" | "added" | "removed" | "renamed" | "copied" | "binary" | "mode-only" | "submodule" | "pure-rename";

export interface ModelLine {
  readonly kind: DiffLine["kind"];
  readonly text: string;
}

export interface ModelHunk {
  /** Unchanged lines skipped before the hunk (≥ 1 between hunks). */
  readonly gap: number;
  readonly lines: readonly ModelLine[];
  readonly heading: string;
  /** Write a count of 1 as git does (`-5 +5`) rather than `-5,1 +5,1`. */
  readonly shortCounts: boolean;
}

export interface ModelFile {
  readonly kind: ModelKind;
  readonly path: string;
  readonly previousPath: string;
  readonly hunks: readonly ModelHunk[];
  /** Add "\ No newline at end of file" after the last line. */
  readonly noNewlineAtEnd: boolean;
  readonly binaryStyle: "differ" | "git-binary-patch";
}

export interface ModelDiff {
  readonly files: readonly ModelFile[];
  readonly plain: boolean;
  readonly crlf: boolean;
  /** Text before the first file (a commit message, `git format-patch` mail headers). */
  readonly preamble: string;
}

/** What the parser should produce for a file. */
export interface ExpectedFile {
  readonly path: string;
  readonly previousPath: string | null;
  readonly status: FileStatus;
  readonly hunks: readonly {
    readonly oldStart: number;
    readonly oldLines: number;
    readonly newStart: number;
    readonly newLines: number;
    readonly lines: readonly DiffLine[];
  }[];
}

// ── Arbitraries ─────────────────────────────────────────────────────────────

const TRICKY_TEXT = [
  "",
  "const a = 1;",
  "  return value;",
  "}",
  "@@ -1,2 +1,2 @@ looks like a hunk header",
  "+ looks added",
  "- looks deleted",
  "\\ No newline at end of file",
  "diff --git a/x b/x",
  "--- a/x",
  "+++ b/x",
  "-- ",
  "Subproject commit 0123456789abcdef0123456789abcdef01234567",
  "Binary files a/x and b/x differ",
  "GIT binary patch",
  "\ttab\tseparated",
  "trailing spaces   ",
  "<!-- longview:review head=0123456789abcdef -->",
  "émoji 😀 中文 ﷽",
  "\u2028line separator\u2029",
  "\u0000nul\u0007bell\u001b[31m",
];

/** Text that a decoder made of bytes that are not UTF-8 (U+FFFD), or a lone surrogate from a broken decoder. */
const brokenText = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString("utf8")),
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString("latin1")),
  fc.constantFrom("\uD800", "a\uDC00b", "\uFFFE\uFFFF"),
);

const rawText = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...TRICKY_TEXT) },
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 2, arbitrary: brokenText },
  { weight: 1, arbitrary: fc.constantFrom(" ".repeat(5_000) + "x", "(".repeat(3_000), "a ".repeat(3_000) + "(", "\t".repeat(4_000) + "}") },
);

/** A line's text: no line feed, and no carriage return at its end (that would be part of a CRLF terminator). */
export function lineText(giantWeight = 0): fc.Arbitrary<string> {
  const base =
    giantWeight > 0
      ? fc.oneof(
          { weight: 1000, arbitrary: rawText },
          { weight: giantWeight, arbitrary: fc.constantFrom("x".repeat(1_000_000), "é".repeat(300_000), " ".repeat(1_000_000)) },
        )
      : rawText;
  return base.map((t) => t.replace(/\n/g, " ").replace(/\r+$/, ""));
}

const PATH_PARTS = [
  "src",
  "lib",
  "a",
  "b",
  "dir with space",
  "ünï",
  "ファイル",
  "-dash",
  ".github",
  "workflows",
  "node_modules",
  "x.y",
  "$HOME",
  'q"uote',
  "back\\slash",
  "tab\there",
  "new\nline",
  "<!--x-->",
];
const PATH_LEAVES = ["app.ts", "index.js", "README.md", "ci.yml", "data.bin", "go.sum", "file name.py", "caf\u00e9.txt", "b", "a", "1", "dev", "null"];

export const pathArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...PATH_PARTS), { maxLength: 3 }), fc.constantFrom(...PATH_LEAVES))
  .map(([dirs, leaf]) => [...dirs, leaf].join("/"));

/** Paths `diff -u` output can carry without quoting rules of its own. */
const plainPathArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom("src", "lib", "docs", "x.y", "ünï"), { maxLength: 2 }), fc.constantFrom("app.ts", "index.js", "README.md", "data.txt"))
  .map(([dirs, leaf]) => [...dirs, leaf].join("/"));

function hunkArb(kinds: readonly DiffLine["kind"][], text: fc.Arbitrary<string>): fc.Arbitrary<ModelHunk> {
  return fc.record({
    gap: fc.nat({ max: 40 }),
    lines: fc.array(fc.record({ kind: fc.constantFrom(...kinds), text }), { minLength: 1, maxLength: 12 }),
    heading: fc.constantFrom("", " function f() {", " class A:", " @@ -1 +1 @@"),
    shortCounts: fc.boolean(),
  });
}

export function modelFileArb(options: { plain: boolean; giantWeight?: number }): fc.Arbitrary<ModelFile> {
  const text = lineText(options.giantWeight ?? 0);
  const kinds: readonly ModelKind[] = options.plain
    ? ["modified", "modified", "added", "removed"]
    : ["modified", "modified", "modified", "added", "removed", "renamed", "copied", "binary", "mode-only", "submodule", "pure-rename"];
  return fc.constantFrom(...kinds).chain((kind) => {
    const mixed = fc.array(hunkArb(["context", "context", "add", "del"], text), { minLength: 1, maxLength: 5 });
    const hunks: fc.Arbitrary<readonly ModelHunk[]> =
      kind === "added"
        ? hunkArb(["add"], text).map((h) => [{ ...h, gap: 0 }])
        : kind === "removed"
          ? hunkArb(["del"], text).map((h) => [{ ...h, gap: 0 }])
          : kind === "submodule"
            ? fc.constant([
                {
                  gap: 0,
                  heading: "",
                  shortCounts: true,
                  lines: [
                    { kind: "del" as const, text: "Subproject commit 1111111111111111111111111111111111111111" },
                    { kind: "add" as const, text: "Subproject commit 2222222222222222222222222222222222222222" },
                  ],
                },
              ])
            : kind === "binary" || kind === "mode-only" || kind === "pure-rename"
              ? fc.constant([])
              : mixed;
    return fc.record({
      kind: fc.constant(kind),
      path: options.plain ? plainPathArb : pathArb,
      previousPath: options.plain ? plainPathArb : pathArb,
      hunks,
      noNewlineAtEnd: fc.boolean(),
      binaryStyle: fc.constantFrom("differ" as const, "git-binary-patch" as const),
    });
  });
}

export function modelDiffArb(options: { giantWeight?: number; maxFiles?: number } = {}): fc.Arbitrary<ModelDiff> {
  return fc.boolean().chain((plain) =>
    fc.record({
      // Paths are unique within a diff (git lists each once) and distinct from every previous path.
      files: fc
        .uniqueArray(modelFileArb({ plain, ...(options.giantWeight !== undefined ? { giantWeight: options.giantWeight } : {}) }), {
          maxLength: options.maxFiles ?? 4,
          selector: (f) => f.path,
        })
        .filter((files) => files.every((f) => !files.some((g) => renames(g) && g.previousPath === f.path))),
      plain: fc.constant(plain),
      crlf: fc.boolean(),
      preamble: fc.constantFrom(
        "",
        "commit 0123abc\nAuthor: A <a@example.com>\n\n    Subject line\n",
        "From 0123 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n---\n a.txt | 2 +-\n",
      ),
    }),
  );
}

function renames(f: ModelFile): boolean {
  return f.kind === "renamed" || f.kind === "copied" || f.kind === "pure-rename";
}

// ── Rendering ───────────────────────────────────────────────────────────────

interface NumberedHunk {
  readonly header: string;
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

function numberHunks(hunks: readonly ModelHunk[]): NumberedHunk[] {
  let nextOld = 1;
  let nextNew = 1;
  return hunks.map((h, i) => {
    const skip = i === 0 ? h.gap : h.gap + 1;
    nextOld += skip;
    nextNew += skip;
    const lines: DiffLine[] = [];
    const firstOld = nextOld;
    const firstNew = nextNew;
    for (const l of h.lines) {
      if (l.kind === "add") lines.push({ kind: "add", oldLine: null, newLine: nextNew++, text: l.text });
      else if (l.kind === "del") lines.push({ kind: "del", oldLine: nextOld++, newLine: null, text: l.text });
      else lines.push({ kind: "context", oldLine: nextOld++, newLine: nextNew++, text: l.text });
    }
    const oldLines = nextOld - firstOld;
    const newLines = nextNew - firstNew;
    // An empty side is numbered by the line before it.
    const oldStart = oldLines === 0 ? firstOld - 1 : firstOld;
    const newStart = newLines === 0 ? firstNew - 1 : firstNew;
    const range = (start: number, count: number) => (count === 1 && h.shortCounts ? `${start}` : `${start},${count}`);
    return { header: `@@ -${range(oldStart, oldLines)} +${range(newStart, newLines)} @@${h.heading}`, oldStart, oldLines, newStart, newLines, lines };
  });
}

const MARKER = { add: "+", del: "-", context: " " } as const;

function hunkText(hunks: readonly NumberedHunk[], noNewlineAtEnd: boolean): string[] {
  const out: string[] = [];
  for (const h of hunks) {
    out.push(h.header);
    for (const l of h.lines) out.push(`${MARKER[l.kind]}${l.text}`);
  }
  if (noNewlineAtEnd && out.length > 0) out.push("\\ No newline at end of file");
  return out;
}

/** git's quoting of unusual path names (core.quotePath): C escapes, non-ASCII as octal bytes. */
export function gitQuote(name: string): string {
  if (!/["\\\x00-\x1f\x7f]|[^\x00-\x7f]/.test(name)) return name;
  let out = "";
  for (const byte of Buffer.from(name, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x0a) out += "\\n";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `"${out}"`;
}

/** `a/path` as git prints it in `diff --git` and `---`/`+++` lines: quoted as a whole when needed. */
function prefixed(prefix: "a/" | "b/", path: string): string {
  const quoted = gitQuote(path);
  return quoted.startsWith('"') ? `"${prefix}${quoted.slice(1)}` : `${prefix}${path}`;
}

/** git ends a `---`/`+++` name containing a space with a tab, so patch tools do not read a timestamp into it. */
function fileLine(marker: "---" | "+++", name: string): string {
  return `${marker} ${name}${!name.startsWith('"') && name.includes(" ") ? "\t" : ""}`;
}

export function renderDiff(diff: ModelDiff): string {
  const lines: string[] = diff.preamble === "" ? [] : diff.preamble.replace(/\n$/, "").split("\n");
  for (const file of diff.files) lines.push(...(diff.plain ? renderPlainFile(file) : renderGitFile(file)));
  const eol = diff.crlf ? "\r\n" : "\n";
  return lines.length === 0 ? "" : lines.join(eol) + eol;
}

function renderGitFile(file: ModelFile): string[] {
  const numbered = numberHunks(file.hunks);
  const from = renames(file) ? file.previousPath : file.path;
  const out = [`diff --git ${prefixed("a/", from)} ${prefixed("b/", file.path)}`];
  const minus = () => fileLine("---", prefixed("a/", from));
  const plus = () => fileLine("+++", prefixed("b/", file.path));
  switch (file.kind) {
    case "added":
      out.push("new file mode 100644", "index 0000000..1111111", fileLine("---", "/dev/null"), plus());
      break;
    case "removed":
      out.push("deleted file mode 100644", "index 1111111..0000000", minus(), fileLine("+++", "/dev/null"));
      break;
    case "renamed":
    case "copied": {
      const verb = file.kind === "renamed" ? "rename" : "copy";
      out.push("similarity index 87%", `${verb} from ${gitQuote(from)}`, `${verb} to ${gitQuote(file.path)}`, "index 1111111..2222222 100644", minus(), plus());
      break;
    }
    case "pure-rename":
      out.push("similarity index 100%", `rename from ${gitQuote(from)}`, `rename to ${gitQuote(file.path)}`);
      return out;
    case "binary":
      out.push("index 1111111..2222222 100644");
      if (file.binaryStyle === "differ") out.push(`Binary files ${prefixed("a/", from)} and ${prefixed("b/", file.path)} differ`);
      else out.push("GIT binary patch", "literal 5", "McmZ?d00001", "", "literal 0", "HcmV?d00001", "");
      return out;
    case "mode-only":
      out.push("old mode 100644", "new mode 100755");
      return out;
    case "submodule":
      out.push("index 1111111..2222222 160000", minus(), plus());
      break;
    case "modified":
      out.push("index 1111111..2222222 100644", minus(), plus());
      break;
  }
  out.push(...hunkText(numbered, file.noNewlineAtEnd));
  return out;
}

function renderPlainFile(file: ModelFile): string[] {
  const stamp = "\t2024-01-01 00:00:00.000000000 +0000";
  const minus = file.kind === "added" ? "--- /dev/null" : `--- a/${file.path}${stamp}`;
  const plus = file.kind === "removed" ? "+++ /dev/null" : `+++ b/${file.path}${stamp}`;
  return [minus, plus, ...hunkText(numberHunks(file.hunks), file.noNewlineAtEnd)];
}

/** The GitHub `patch` of a file: hunks only. */
export function renderPatch(file: ModelFile): string {
  return hunkText(numberHunks(file.hunks), file.noNewlineAtEnd).join("\n");
}

export function expectedFiles(diff: ModelDiff): ExpectedFile[] {
  return diff.files.map((file) => expectedFile(file, diff.plain));
}

export function expectedFile(file: ModelFile, plain = false): ExpectedFile {
  const hunks = numberHunks(file.hunks).map(({ header: _header, ...h }) => h);
  const status: FileStatus = file.kind === "pure-rename" ? "renamed" : file.kind === "submodule" ? "modified" : file.kind;
  return {
    path: file.path,
    previousPath: renames(file) && !plain ? file.previousPath : null,
    status,
    hunks,
  };
}
