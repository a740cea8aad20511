import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDefaultAnalyzers, runAnalyzers } from "../../../src/analyzers/index.js";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { captureLog, inputFor } from "./helpers.js";

/** Head of src/orders.js; the diff below adds only the loop body (lines 6–7) and the handler's read (line 13). */
const head = [
  'import express from "express";', // 1
  'import { readFileSync } from "node:fs";', // 2
  'import { pool } from "./db.js";', // 3
  "export async function withItems(orders) {", // 4
  "  for (const order of orders) {", // 5
  '    const { rows } = await pool.query("SELECT * FROM order_items WHERE order_id = $1", [order.id]);', // 6
  "    order.items = rows;", // 7
  "  }", // 8
  "  return orders;", // 9
  "}", // 10
  "const app = express();", // 11
  'app.get("/terms", (req, res) => {', // 12
  '  res.type("html").send(readFileSync("views/terms.html"));', // 13
  "});", // 14
].join("\n");

const diff = `diff --git a/src/orders.js b/src/orders.js
--- a/src/orders.js
+++ b/src/orders.js
@@ -4,6 +4,7 @@
 export async function withItems(orders) {
   for (const order of orders) {
-    order.items = [];
+    const { rows } = await pool.query("SELECT * FROM order_items WHERE order_id = $1", [order.id]);
+    order.items = rows;
   }
   return orders;
 }
@@ -10,4 +11,4 @@
 const app = express();
 app.get("/terms", (req, res) => {
-  res.type("html").send(terms);
+  res.type("html").send(readFileSync("views/terms.html"));
 });
`;

describe("performance rules through runAnalyzers", () => {
  test("N+1 and blocking-call findings arrive classified as `performance`, on the added lines", async () => {
    const files = parseUnifiedDiff(diff);
    const input = { files, headContents: new Map([["src/orders.js", head]]), lineMap: buildLineMap(files), filter: "added" as const };
    const { findings, errors } = await runAnalyzers(createDefaultAnalyzers(), input, captureLog().log);
    expect(errors).toEqual([]);
    expect(
      findings.map((f) => ({
        line: f.line,
        ruleId: f.ruleId,
        category: f.category,
        severity: f.severity,
        source: f.source,
        confidence: f.confidence,
        title: f.title,
      })),
    ).toEqual([
      {
        line: 6,
        ruleId: "longview/query-in-loop",
        category: "performance",
        severity: "P2",
        source: "longview-rules",
        confidence: 0.7,
        title: "Query inside a loop (N+1)",
      },
      {
        line: 13,
        ruleId: "longview/sync-io-in-handler",
        category: "performance",
        severity: "P2",
        source: "longview-rules",
        confidence: 0.9,
        title: "Blocking call in a request handler",
      },
    ]);
    const [n1, blocking] = findings;
    expect(n1!.body).toContain("once per element of `orders`");
    expect(n1!.body).toContain("WHERE id = ANY($1)");
    expect(blocking!.body).toContain("`fs.readFileSync()` blocks the event loop inside a request handler");
  });

  test("the demo pull request's N+1 in `exportOrders` is reported", async () => {
    const path = fileURLToPath(new URL("../../../tools/demo/sample/head/src/orders.js", import.meta.url));
    const content = readFileSync(path, "utf8");
    const lines = content.split("\n");
    const lineOf = (text: string): number => lines.findIndex((line) => line.includes(text)) + 1;
    const { findings } = await runAnalyzers(createDefaultAnalyzers(), inputFor([{ path: "src/orders.js", content }]), captureLog().log);
    const n1 = findings.filter((f) => f.ruleId === "longview/query-in-loop").map((f) => f.line);
    expect(n1).toEqual([lineOf("await getOrder(id)"), lineOf('await query("SELECT * FROM order_items')]);
    expect(n1.every((line) => line > lineOf("export async function exportOrders"))).toBe(true);
  });
});
