import { beforeAll, describe, expect, test } from "@jest/globals";
import { buildWindowPlan, initSyntax } from "../../../src/context/index.js";
import { treeSitterOutline } from "../../../src/context/syntax/tree-sitter.js";
import { BUDGET_24K, changeSetOf, GLOBAL } from "./helpers.js";

/** Files whose line `changed` (1-based) sits in the middle of a definition spanning `start`..`end`. */
interface Sample {
  readonly path: string;
  readonly lines: readonly string[];
  readonly changed: number;
  readonly start: number;
  readonly end: number;
  readonly names: readonly string[];
}

const SAMPLES: readonly Sample[] = [
  {
    path: "src/greeter.ts",
    lines: [
      'import { log } from "./log";',
      "",
      "export class Greeter {",
      '  private name = "w";',
      "",
      "  hello(): string {",
      '    return "hi";',
      "  }",
      "",
      "  @log()",
      "  farewell(times: number): string {",
      "    const parts: string[] = [];",
      "    for (let i = 0; i < times; i++) {",
      '      parts.push("bye");',
      "    }",
      '    const joined = parts.join(" ");',
      "    const upper = joined.toUpperCase();",
      "    const trimmed = upper.trim();",
      '    const result = trimmed + "!";',
      "    const final = result;",
      "    return final;",
      "  }",
      "}",
      "",
      "export const helper = (a: number): number => {",
      "  return a * 2;",
      "};",
      "",
    ],
    changed: 17,
    start: 10,
    end: 22,
    names: ["Greeter", "hello", "farewell", "helper"],
  },
  {
    path: "web/app.js",
    lines: [
      "const express = require('express');",
      "",
      "function setup(app) {",
      "  app.use(express.json());",
      "  app.get('/a', (req, res) => {",
      "    const id = req.query.id;",
      "    const row = lookup(id);",
      "    const name = row.name;",
      "    const age = row.age;",
      "    const city = row.city;",
      "    const zip = row.zip;",
      "    res.json({ id, name, age, city, zip });",
      "  });",
      "  return app;",
      "}",
      "",
      "module.exports = { setup };",
      "",
    ],
    changed: 9,
    start: 3,
    end: 15,
    names: ["setup"],
  },
  {
    path: "app/service.py",
    lines: [
      "import logging",
      "",
      "",
      "class Service:",
      "    def __init__(self, repo):",
      "        self.repo = repo",
      "",
      "    @cached",
      "    def load(self, key):",
      "        rows = self.repo.find(key)",
      "        result = []",
      "        for row in rows:",
      "            result.append(row)",
      "        total = len(result)",
      "        logging.info('loaded %d', total)",
      "        extra = total * 2",
      "        return result",
      "",
      "",
      "def main():",
      "    return Service(None)",
      "",
    ],
    changed: 13,
    start: 8,
    end: 17,
    names: ["Service", "__init__", "load", "main"],
  },
  {
    path: "internal/store/store.go",
    lines: [
      "package store",
      "",
      'import "fmt"',
      "",
      "type Store struct {",
      "\tdb *DB",
      "}",
      "",
      "func (s *Store) Load(id string) (*Item, error) {",
      "\trow := s.db.Query(id)",
      "\tvar item Item",
      "\tif err := row.Scan(&item); err != nil {",
      '\t\treturn nil, fmt.Errorf("load %s: %w", id, err)',
      "\t}",
      "\titem.Name = row.Name",
      "\titem.Age = row.Age",
      "\titem.City = row.City",
      "\treturn &item, nil",
      "}",
      "",
      "func New() *Store { return &Store{} }",
      "",
    ],
    changed: 14,
    start: 9,
    end: 19,
    names: ["Store", "Load", "New"],
  },
  {
    path: "src/main/java/com/acme/Repo.java",
    lines: [
      "package com.acme;",
      "",
      "public class Repo {",
      "  private final Db db;",
      "",
      "  @Override",
      "  public Item load(String id) {",
      "    Row row = db.query(id);",
      "    Item item = new Item();",
      "    item.setName(row.name());",
      "    item.setAge(row.age());",
      "    item.setCity(row.city());",
      "    item.setZip(row.zip());",
      "    item.setId(id);",
      "    return item;",
      "  }",
      "",
      "  public void save(Item item) {",
      "    db.save(item);",
      "  }",
      "}",
      "",
    ],
    changed: 11,
    start: 6,
    end: 16,
    names: ["Repo", "load", "save"],
  },
];

function changeLine(lines: readonly string[], line: number): string {
  return lines.map((l, i) => (i + 1 === line ? `${l} // changed` : l)).join("\n");
}

function surroundingOf(sample: Sample) {
  const changeSet = changeSetOf([{ path: sample.path, base: sample.lines.join("\n"), head: changeLine(sample.lines, sample.changed) }]);
  const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);
  const windowHunk = plan.windows[0]!.local.files[0]!.hunks[0]!;
  const surrounding = windowHunk.surrounding!;
  return { start: surrounding.startLine, end: surrounding.startLine + surrounding.text.split("\n").length - 1 };
}

describe("tree-sitter outlines (after initSyntax)", () => {
  beforeAll(async () => {
    const status = await initSyntax();
    expect(status.failures).toEqual([]);
    expect([...status.languages].sort()).toEqual(["go", "java", "javascript", "python", "tsx", "typescript"]);
  });

  test("initSyntax is idempotent", async () => {
    expect(await initSyntax()).toEqual(await initSyntax());
  });

  test.each(SAMPLES.map((s) => [s.path, s] as const))("%s: definitions are found by the grammar", (_path, sample) => {
    const language = { ts: "typescript", js: "javascript", py: "python", go: "go", java: "java" } as const;
    const ext = sample.path.slice(sample.path.lastIndexOf(".") + 1) as keyof typeof language;
    const outline = treeSitterOutline(language[ext], sample.lines.join("\n"))!;
    expect(outline.source).toBe("tree-sitter");
    expect(outline.defs.map((d) => d.name)).toEqual(sample.names);
  });

  test.each(SAMPLES.map((s) => [s.path, s] as const))("%s: a hunk is extended to its enclosing definition", (_path, sample) => {
    expect(surroundingOf(sample)).toEqual({ start: sample.start, end: sample.end });
  });

  test("TSX parses with its own grammar", () => {
    const outline = treeSitterOutline("tsx", "export function View() {\n  return <div>{1}</div>;\n}\n")!;
    expect(outline.defs).toEqual([{ name: "View", kind: "function", startLine: 1, endLine: 3 }]);
  });

  test("surrounding code is capped at 80 lines before and after the hunk", () => {
    const body = Array.from({ length: 400 }, (_, i) => `  const v${i} = ${i};`);
    const lines = ["export function huge() {", ...body, "  return 0;", "}", ""];
    const changeSet = changeSetOf([{ path: "src/huge.ts", base: lines.join("\n"), head: changeLine(lines, 200) }]);
    const surrounding = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K).windows[0]!.local.files[0]!.hunks[0]!.surrounding!;
    // The hunk spans 197..203 (3 lines of context); the function spans 1..403.
    expect(surrounding.startLine).toBe(197 - 80);
    expect(surrounding.startLine + surrounding.text.split("\n").length - 1).toBe(203 + 80);
  });
});
