import type { Finding, Hunk, Window, WindowFile } from "../../../src/domain/index.js";

/** Small, realistic windows for the reviewer's tests, built directly from the domain types. */

export const DB_HUNK: Hunk = {
  index: 0,
  header: "@@ -10,4 +10,5 @@ export async function findUser(db: Db, name: string) {",
  oldStart: 10,
  oldLines: 4,
  newStart: 10,
  newLines: 5,
  lines: [
    { kind: "context", oldLine: 10, newLine: 10, text: "export async function findUser(db: Db, name: string) {" },
    { kind: "del", oldLine: 11, newLine: null, text: '  return db.query("SELECT * FROM users WHERE name = $1", [name]);' },
    { kind: "add", oldLine: null, newLine: 11, text: "  const sql = `SELECT * FROM users WHERE name = '${name}'`;" },
    { kind: "add", oldLine: null, newLine: 12, text: "  return db.query(sql);" },
    { kind: "context", oldLine: 12, newLine: 13, text: "}" },
    { kind: "context", oldLine: 13, newLine: 14, text: "" },
  ],
};

export function windowFile(path: string, hunk: Hunk = DB_HUNK): WindowFile {
  return { path, previousPath: null, status: "modified", hunks: [{ hunk, surrounding: null, duplicates: [] }] };
}

export function makeWindow(overrides: { id?: string; description?: string; title?: string; files?: readonly WindowFile[] } = {}): Window {
  return {
    id: overrides.id ?? "w1",
    wave: 0,
    global: {
      title: overrides.title ?? "Speed up user lookup",
      description: overrides.description ?? "Builds the query string directly instead of using parameters.",
      guidelines: "Treat SQL built from strings as a security defect.",
      fileMap: "src/db/users.ts (+2 -1)",
    },
    memory: [],
    local: { files: overrides.files ?? [windowFile("src/db/users.ts")], peripheral: "" },
    tokens: { global: 100, memory: 0, local: 200, total: 300 },
  };
}

export function analyzerFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    path: "src/db/users.ts",
    line: 11,
    startLine: null,
    side: "RIGHT",
    severity: "P2",
    category: "security",
    title: "Template literal used to build SQL",
    body: "Use query parameters.",
    suggestion: null,
    confidence: 1,
    source: "longview-rules",
    ruleId: "sql-template-literal",
    corroboratedBy: [],
    ...overrides,
  };
}
