import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { isInside, workingTreeReader } from "../../../src/cli/head-content.js";
import { buildLocalChangeSet as buildWithLimits, type DiffInput } from "../../../src/cli/local-change-set.js";
import type { HeadReader } from "../../../src/cli/head-content.js";
import type { FileFilterOptions } from "../../../src/diff/file-filter.js";
import type { SizeLimits } from "../../../src/diff/size-budget.js";

/** The environment's defaults (.env.example). */
const DEFAULT_LIMITS: SizeLimits = { maxFiles: 3_000, maxFileBytes: 1_000_000, maxChangedLines: 100_000, maxTotalBytes: 100_000_000 };

async function buildLocalChangeSet(diff: DiffInput, filter: FileFilterOptions, readHead: HeadReader | null) {
  return (await buildWithLimits(diff, filter, readHead, DEFAULT_LIMITS)).changeSet;
}

const filter = { include: ["**"], exclude: ["docs/**"], skipGenerated: true };

function fileDiff(path: string, added: string[], status: "new" | "deleted" | "modified" = "new"): string {
  const header =
    status === "new"
      ? `new file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${added.length} @@\n`
      : status === "deleted"
        ? `deleted file mode 100644\n--- a/${path}\n+++ /dev/null\n@@ -1,${added.length} +0,0 @@\n`
        : `--- a/${path}\n+++ b/${path}\n@@ -1,0 +1,${added.length} @@\n`;
  const marker = status === "deleted" ? "-" : "+";
  return `diff --git a/${path} b/${path}\n${header}${added.map((l) => `${marker}${l}\n`).join("")}`;
}

describe("buildLocalChangeSet", () => {
  test("applies the app's skip rules and keeps head contents of reviewable files", async () => {
    const diff = [
      fileDiff("src/a.ts", ["export const a = 1;"]),
      fileDiff("package-lock.json", ["{}"]),
      fileDiff("docs/readme.md", ["hello"]),
      fileDiff("src/gen.ts", ["// @generated", "export const g = 1;"]),
      fileDiff("src/old.ts", ["gone();"], "deleted"),
    ].join("");
    const asked: string[] = [];
    const contents: Record<string, string> = {
      "src/a.ts": "export const a = 1;\n",
      "src/gen.ts": "// @generated\nexport const g = 1;\n",
    };
    const changeSet = await buildLocalChangeSet(diff, filter, async (paths) => {
      asked.push(...paths);
      return new Map(paths.map((p) => [p, contents[p] !== undefined ? { kind: "text" as const, text: contents[p] } : { kind: "missing" as const }]));
    });

    expect(changeSet.files.map((f) => f.path)).toEqual(["src/a.ts", "src/old.ts"]);
    expect(changeSet.skipped).toEqual([
      { path: "docs/readme.md", reason: "excluded-by-config", lines: 1, detail: "matched paths.exclude `docs/**`" },
      { path: "package-lock.json", reason: "lockfile", lines: 1, detail: "package-lock.json" },
      { path: "src/gen.ts", reason: "generated", lines: 2, detail: "file header marks it as generated" },
    ]);
    expect([...changeSet.headContents.keys()]).toEqual(["src/a.ts"]);
    // Removed and filtered files are never read.
    expect(asked.sort()).toEqual(["src/a.ts", "src/gen.ts"]);
    expect(changeSet.lineMap.locate("src/a.ts", 1, "RIGHT")).toMatchObject({ kind: "add" });
  });

  test("without a head reader the diff is still reviewable, with no contents", async () => {
    const changeSet = await buildLocalChangeSet(fileDiff("src/a.ts", ["x"]), filter, null);
    expect(changeSet.files).toHaveLength(1);
    expect(changeSet.headContents.size).toBe(0);
  });

  test("generated content is kept when skipGenerated is off", async () => {
    const changeSet = await buildLocalChangeSet(
      fileDiff("src/gen.ts", ["// @generated"]),
      { ...filter, skipGenerated: false },
      async () => new Map([["src/gen.ts", { kind: "text" as const, text: "// @generated\n" }]]),
    );
    expect(changeSet.skipped).toEqual([]);
    expect(changeSet.headContents.get("src/gen.ts")).toBe("// @generated\n");
  });
});

describe("buildLocalChangeSet: the app's size limits, in the diff's file order", () => {
  const lines = (n: number, prefix = "line") => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
  const build = (diff: DiffInput, limits: Partial<SizeLimits>) => buildWithLimits(diff, filter, null, { ...DEFAULT_LIMITS, ...limits });

  test("LONGVIEW_MAX_FILES, _MAX_CHANGED_LINES, _MAX_FILE_BYTES and _MAX_TOTAL_BYTES leave files out as too-large, naming the limit; rules use no budget", async () => {
    const diff = [
      fileDiff("a.ts", lines(40)),
      fileDiff("package-lock.json", lines(500)), // a lockfile: no budget used
      fileDiff("b.ts", lines(50)), // 90 lines so far
      fileDiff("c.ts", lines(20)), // would make 110 > 100
      fileDiff("d.ts", lines(5)),
      fileDiff("e.ts", lines(5)),
    ].join("");
    const { changeSet } = await build(diff, { maxFiles: 5, maxChangedLines: 100 });
    expect(changeSet.files.map((f) => f.path)).toEqual(["a.ts", "b.ts", "d.ts"]);
    expect(changeSet.skipped).toEqual([
      { path: "c.ts", reason: "too-large", lines: 20, detail: "over the limit of 100 changed lines per review (LONGVIEW_MAX_CHANGED_LINES)" },
      { path: "e.ts", reason: "too-large", lines: 5, detail: "over the limit of 5 files per review (LONGVIEW_MAX_FILES)" },
      { path: "package-lock.json", reason: "lockfile", lines: 500, detail: "package-lock.json" },
    ]);

    const bytes = await build([fileDiff("big.ts", lines(100, "x".repeat(100))), fileDiff("f.ts", lines(10)), fileDiff("g.ts", lines(300))].join(""), {
      maxFileBytes: 5_000,
      maxTotalBytes: 2_000,
    });
    expect(bytes.changeSet.files.map((f) => f.path)).toEqual(["f.ts"]);
    expect(bytes.changeSet.skipped).toEqual([
      { path: "big.ts", reason: "too-large", lines: 100, detail: "its diff is over 5,000 bytes (LONGVIEW_MAX_FILE_BYTES)" },
      { path: "g.ts", reason: "too-large", lines: 300, detail: "over the limit of 2,000 bytes per review (LONGVIEW_MAX_TOTAL_BYTES)" },
    ]);
  });

  test("the diff is read as a stream: chunks cut anywhere, even inside a character, give the same change set", async () => {
    const diff = [fileDiff("src/é.ts", ["const café = 'crème';"]), fileDiff("package-lock.json", ["{}"]), fileDiff("src/b.ts", lines(3))].join("");
    const whole = await build(diff, {});
    const bytes = Buffer.from(diff);
    const chunks = (async function* () {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    })();
    const streamed = await build(chunks, {});
    expect(streamed.changeSet.files).toEqual(whole.changeSet.files);
    expect(streamed.changeSet.skipped).toEqual(whole.changeSet.skipped);
    expect(whole.changeSet.files.map((f) => f.path)).toEqual(["src/é.ts", "src/b.ts"]);
  });

  test("binaries (added, modified, deleted) are skipped as binary; a mode change with hunks is a modified file, not mode-only", async () => {
    const diff = [
      "diff --git a/new.png b/new.png\nnew file mode 100644\nindex 0000000..1111111\nBinary files /dev/null and b/new.png differ\n",
      "diff --git a/mod.png b/mod.png\nindex 1111111..2222222 100644\nBinary files a/mod.png and b/mod.png differ\n",
      "diff --git a/old.png b/old.png\ndeleted file mode 100644\nindex 1111111..0000000\nBinary files a/old.png and /dev/null differ\n",
      "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n",
      "diff --git a/tool.sh b/tool.sh\nold mode 100644\nnew mode 100755\n--- a/tool.sh\n+++ b/tool.sh\n@@ -1 +1 @@\n-echo a\n+echo b\n",
    ].join("");
    const { changeSet } = await build(diff, {});
    expect(changeSet.skipped.map((s) => [s.path, s.reason, s.lines])).toEqual([
      ["mod.png", "binary", 0],
      ["new.png", "binary", 0],
      ["old.png", "binary", 0],
      ["run.sh", "mode-only", 0],
    ]);
    expect(changeSet.files.map((f) => [f.path, f.status, f.additions + f.deletions])).toEqual([["tool.sh", "modified", 2]]);
  });

  test("text that is not a diff is not recognised; a plain diff over LONGVIEW_MAX_TOTAL_BYTES is refused", async () => {
    expect((await build("hello\nworld\n", {})).recognised).toBe(false);
    expect((await build("", {})).recognised).toBe(true);
    const plain = `--- a/x.ts\n+++ b/x.ts\n@@ -1,0 +1,200 @@\n${lines(200)
      .map((l) => `+${l}\n`)
      .join("")}`;
    expect((await build(plain, {})).changeSet.files.map((f) => f.path)).toEqual(["x.ts"]);
    expect(await build(plain, { maxTotalBytes: 1_000 })).toMatchObject({ plainTooLarge: true });
  });
});

describe("workingTreeReader", () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "longview-wt-"));
    outside = await mkdtemp(join(tmpdir(), "longview-outside-"));
    await mkdir(join(root, "src"));
    await writeFile(join(root, "src/a.ts"), "const a = 1;\n");
    await writeFile(join(root, "src/bin.dat"), Buffer.from([1, 0, 2]));
    await writeFile(join(root, "src/big.txt"), "x".repeat(2_000));
    await writeFile(join(outside, "secret.txt"), "top secret\n");
    await symlink(join(outside, "secret.txt"), join(root, "src/link.txt"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  test("reads text files and never leaves the root", async () => {
    const read = await workingTreeReader(
      root,
      1_000,
    )(["src/a.ts", "src/bin.dat", "src/big.txt", "src/missing.ts", "../" + outside.split("/").pop() + "/secret.txt", "src/link.txt", "src"]);
    expect(Object.fromEntries(read)).toEqual({
      "src/a.ts": { kind: "text", text: "const a = 1;\n" },
      "src/bin.dat": { kind: "binary" },
      "src/big.txt": { kind: "too-large" },
      "src/missing.ts": { kind: "missing" },
      ["../" + outside.split("/").pop() + "/secret.txt"]: { kind: "missing" },
      "src/link.txt": { kind: "missing" },
      src: { kind: "missing" },
    });
  });

  test("isInside", () => {
    expect(isInside("/r", "/r/a")).toBe(true);
    expect(isInside("/r", "/r")).toBe(false);
    expect(isInside("/r", "/rx/a")).toBe(false);
    expect(isInside("/r", "/r/../etc")).toBe(false);
    expect(isInside("/r", "/r/..a/b")).toBe(true);
  });
});
