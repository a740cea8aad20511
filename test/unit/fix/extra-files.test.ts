import { describe, expect, test } from "@jest/globals";
import { changedSymbols, extraFileProblem } from "../../../src/fix/extra-files.js";

const edit = (path: string, search: string) => ({ path, search, replace: "x" });

describe("changedSymbols: the top-level declarations the edits of the findings' files replace", () => {
  test("JavaScript/TypeScript, Python and Go declarations; locals and other files' edits are not among them", () => {
    const symbols = changedSymbols(
      [
        edit("src/a.ts", "export async function getUser(db, id) {\n  const user = db.find(id);"),
        edit("src/a.ts", "export default class Store {"),
        edit("lib/b.py", "def parse_amount(text):\n    value = float(text)"),
        edit("svc/c.go", "func (s *Server) Handle(w http.ResponseWriter) {"),
        edit("src/caller.ts", "export function notMine() {"),
      ],
      new Set(["src/a.ts", "lib/b.py", "svc/c.go"]),
    );
    expect([...symbols].sort()).toEqual(["Handle", "Store", "getUser", "parse_amount"]);
  });
});

describe("extraFileProblem", () => {
  const context = { symbols: new Set(["getUser"]), editing: 1, maxFiles: 5 };
  test("a file that calls a changed declaration may join", () => {
    expect(extraFileProblem("src/routes/admin.js", "const u = getUser(db, id, true);", context)).toBeNull();
  });
  test("a file that does not use it, or only a longer name containing it, may not", () => {
    expect(extraFileProblem("src/version.js", "export const v = 1;", context)).toContain("does not use what your edits change (`getUser`)");
    expect(extraFileProblem("src/x.js", "getUserName();", context)).not.toBeNull();
  });
  test("never a workflow or an action, and never beyond fix.maxFiles", () => {
    expect(extraFileProblem(".github/actions/setup/run.js", "getUser()", context)).toContain("does not edit GitHub Actions workflows or actions");
    expect(extraFileProblem("src/y.js", "getUser()", { ...context, editing: 5 })).toContain("more than 5 files (`fix.maxFiles`)");
  });
});
