import { describe, expect, it } from "@jest/globals";
import { buildWindowPlan, renderWindow } from "../../../src/context/index.js";
import { computeImpact, countArguments } from "../../../src/repo/impact.js";
import { memorySnapshot } from "../../../src/repo/memory-snapshot.js";
import { BUDGET_24K, changeSetOf, GLOBAL } from "../context/helpers.js";

const TOKEN_BASE = `import type { User } from "./user.js";

export function checkToken(token: string, user: User): boolean {
  return token.length > 0 && user.active;
}
`;
const TOKEN_HEAD = `import type { User } from "./user.js";

export interface CheckOptions {
  readonly strict: boolean;
}

export function checkToken(user: User, token: string, opts: CheckOptions): boolean {
  return token.length > 0 && user.active && (!opts.strict || token.startsWith("lv_"));
}
`;
const LOGIN = `import { checkToken } from "../auth/token.js";
import { loadUser } from "../users.js";

export async function login(req: { headers: { token: string }; userId: string }) {
  const user = await loadUser(req.userId);
  if (!checkToken(req.headers.token, user)) {
    return { status: 401 };
  }
  return { status: 200 };
}
`;
const TEST = `import { checkToken } from "../src/auth/token.js";

it("accepts a token", () => {
  expect(checkToken("abc", { active: true })).toBe(true);
});
`;

function planted() {
  const changeSet = changeSetOf([{ path: "src/auth/token.ts", base: TOKEN_BASE, head: TOKEN_HEAD }]);
  const snapshot = memorySnapshot({
    "src/auth/token.ts": TOKEN_HEAD,
    "src/routes/login.ts": LOGIN,
    "test/token.test.ts": TEST,
    "README.md": "checkToken docs",
  });
  return { changeSet, snapshot };
}

describe("computeImpact", () => {
  it("finds the reordered, extended signature and the unchanged caller and test", async () => {
    const { changeSet, snapshot } = planted();
    const { impact, notes } = await computeImpact({ changeSet, snapshot });
    const change = impact.changes.find((c) => c.symbol === "checkToken");
    expect(change).toBeDefined();
    expect(change!.kind).toBe("signature-changed");
    expect(change!.aspects).toEqual(expect.arrayContaining(["parameters-added", "parameters-reordered"]));
    expect(change!.before.parameters!.map((p) => p.name)).toEqual(["token", "user"]);
    expect(change!.after!.parameters!.map((p) => p.name)).toEqual(["user", "token", "opts"]);
    expect(change!.usages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "src/routes/login.ts", line: 6, kind: "call", argumentCount: 2 }),
        expect.objectContaining({ path: "test/token.test.ts", line: 4, kind: "test" }),
      ]),
    );
    // Import lines are not usages; the changed file itself is never searched.
    expect(change!.usages.some((u) => u.line === 1 || u.path === "src/auth/token.ts")).toBe(false);
    expect(notes).toEqual([expect.objectContaining({ kind: "api-change", path: "src/auth/token.ts" })]);
    expect(notes[0]!.text).toContain("src/routes/login.ts:6");
  });

  it("puts the caller's line into the window the model is sent", async () => {
    const { changeSet, snapshot } = planted();
    const { impact } = await computeImpact({ changeSet, snapshot });
    const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K, { impact });
    const text = plan.windows.map(renderWindow).join("\n");
    expect(text).toContain("src/routes/login.ts:6: if (!checkToken(req.headers.token, user)) {");
    expect(text).toContain("export function checkToken(token: string, user: User): boolean");
    expect(text).toContain("export function checkToken(user: User, token: string, opts: CheckOptions): boolean");
    for (const w of plan.windows) expect(w.tokens.total).toBeLessThanOrEqual(BUDGET_24K.windowTokens);
  });

  it("changes nothing without an impact", async () => {
    const { changeSet } = planted();
    const without = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
    const withEmpty = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K, { impact: { changes: [], notices: [] } });
    expect(withEmpty.windows.map(renderWindow)).toEqual(without.windows.map(renderWindow));
    expect(without.windows.every((w) => w.local.impact === undefined)).toBe(true);
  });

  it("follows a body-only change to its callers and a dropped config key to its readers", async () => {
    const base = `def load_settings(raw):\n    return {"timeout_ms": raw.get("timeout_ms", 500)}\n\n\ndef find_user(users, uid):\n    if uid is None:\n        return None\n    return users[uid]\n`;
    const head = `def load_settings(raw):\n    return {"timeout": raw.get("timeout", 500)}\n\n\ndef find_user(users, uid):\n    return users[uid]\n`;
    const changeSet = changeSetOf([{ path: "app/settings.py", base, head }]);
    const snapshot = memorySnapshot({
      "app/settings.py": head,
      "app/client.py": `from app.settings import load_settings\n\n\ndef make(raw):\n    s = load_settings(raw)\n    return s["timeout_ms"] / 1000\n`,
      "app/views.py": `from app.settings import find_user\n\n\ndef show(users, request):\n    return find_user(users, request.args.get("id"))\n`,
    });
    const { impact, notes } = await computeImpact({ changeSet, snapshot });
    const key = impact.changes.find((c) => c.kind === "key-removed");
    expect(key).toMatchObject({ symbol: "timeout_ms", usages: [expect.objectContaining({ path: "app/client.py", line: 6 })] });
    const body = impact.changes.find((c) => c.symbol === "find_user");
    expect(body).toMatchObject({ kind: "body-changed", usages: [expect.objectContaining({ path: "app/views.py", line: 5, kind: "call" })] });
    // Body-only changes and keys are context, not API notes.
    expect(notes).toEqual([]);
  });

  it("reports removed and renamed Go functions, with defaults and return types compared", async () => {
    const base = `package store\n\nfunc Get(id string) (*Item, error) {\n\treturn nil, nil\n}\n\nfunc Put(it *Item) error {\n\treturn nil\n}\n\nfunc Drop(id string) {\n}\n`;
    const head = `package store\n\nfunc Get(id string) (*Item, bool) {\n\treturn nil, false\n}\n\nfunc Store(it *Item) error {\n\treturn nil\n}\n`;
    const changeSet = changeSetOf([{ path: "store/store.go", base, head }]);
    const snapshot = memorySnapshot({
      "store/store.go": head,
      "api/handler.go": `package api\n\nimport "example.com/app/store"\n\nfunc h() {\n\tit, err := store.Get("x")\n\tstore.Put(it)\n\tstore.Drop("x")\n\t_ = err\n}\n`,
    });
    const { impact } = await computeImpact({ changeSet, snapshot });
    const byName = new Map(impact.changes.map((c) => [c.symbol, c]));
    expect(byName.get("Get")).toMatchObject({
      kind: "signature-changed",
      aspects: ["return-type-changed"],
      usages: [expect.objectContaining({ path: "api/handler.go", line: 6 })],
    });
    expect(byName.get("Put")).toMatchObject({ kind: "renamed", renamedTo: "Store", usages: [expect.objectContaining({ line: 7 })] });
    expect(byName.get("Drop")).toMatchObject({ kind: "removed", usages: [expect.objectContaining({ line: 8 })] });
  });

  it("bounds the usages it keeps and says so", async () => {
    const { changeSet } = planted();
    const files: Record<string, string> = { "src/auth/token.ts": TOKEN_HEAD };
    for (let i = 0; i < 30; i++) files[`src/routes/r${String(i).padStart(2, "0")}.ts`] = `import { checkToken } from "../auth/token.js";\ncheckToken(a, b);\n`;
    const { impact } = await computeImpact({ changeSet, snapshot: memorySnapshot(files), limits: { maxCallsPerChange: 4 } });
    expect(impact.changes[0]!.usages).toHaveLength(4);
    expect(impact.changes[0]!.usagesTruncated).toBe(true);
  });
});

describe("countArguments", () => {
  it("counts top-level arguments of a call closed on the line", () => {
    expect(countArguments("if (!checkToken(a, f(b, c), { x: 1 })) {", "checkToken")).toBe(3);
    expect(countArguments("checkToken()", "checkToken")).toBe(0);
    expect(countArguments("checkToken(...args)", "checkToken")).toBeNull();
    expect(countArguments("checkToken(a,", "checkToken")).toBeNull();
    expect(countArguments('checkToken("a,b)", c)', "checkToken")).toBe(2);
  });
});
