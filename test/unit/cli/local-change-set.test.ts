import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { isInside, workingTreeReader } from "../../../src/cli/head-content.js";
import { buildLocalChangeSet } from "../../../src/cli/local-change-set.js";

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
    const changeSet = await buildLocalChangeSet(fileDiff("src/gen.ts", ["// @generated"]), { ...filter, skipGenerated: false }, async () =>
      new Map([["src/gen.ts", { kind: "text" as const, text: "// @generated\n" }]]),
    );
    expect(changeSet.skipped).toEqual([]);
    expect(changeSet.headContents.get("src/gen.ts")).toBe("// @generated\n");
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
    const read = await workingTreeReader(root, 1_000)(["src/a.ts", "src/bin.dat", "src/big.txt", "src/missing.ts", "../" + outside.split("/").pop() + "/secret.txt", "src/link.txt", "src"]);
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
