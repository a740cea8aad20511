import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The operators' dashboard (ops/grafana/dashboards/longview.json) as the
 * tests see it: its panels and queries, and the metric names those queries
 * read — so a test can hold them against what the app exports on /metrics.
 */

export const DASHBOARD_PATH = fileURLToPath(new URL("../../ops/grafana/dashboards/longview.json", import.meta.url));

const Datasource = z.object({ type: z.literal("prometheus"), uid: z.string().min(1) });
const Target = z.object({ refId: z.string().min(1), expr: z.string().min(1), datasource: Datasource.optional() });
const GridPos = z.object({ h: z.number().int().positive(), w: z.number().int().positive(), x: z.number().int().min(0), y: z.number().int().min(0) });
const Row = z.object({ type: z.literal("row"), id: z.number().int(), title: z.string(), gridPos: GridPos });
const QueryPanel = z.object({
  type: z.string().refine((t) => t !== "row"),
  id: z.number().int(),
  title: z.string().min(1),
  description: z.string().min(1),
  datasource: Datasource,
  gridPos: GridPos,
  targets: z.array(Target).min(1),
});
export const DashboardSchema = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  schemaVersion: z.number().int(),
  panels: z.array(z.union([Row, QueryPanel])).min(1),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
export type QueryPanel = z.infer<typeof QueryPanel>;

export function loadDashboard(path = DASHBOARD_PATH): Dashboard {
  return DashboardSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export function queryPanels(dashboard: Dashboard): QueryPanel[] {
  return dashboard.panels.filter((p): p is QueryPanel => p.type !== "row");
}

/** Every PromQL expression of the dashboard, with the panel it belongs to. */
export function dashboardQueries(dashboard: Dashboard): Array<{ panel: string; expr: string }> {
  return queryPanels(dashboard).flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
}

const AGGREGATIONS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "limitk",
  "limit_ratio",
]);
const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless", "atan2", "nan", "inf"]);

/**
 * The metric names a PromQL expression selects. Label matchers (`{…}`),
 * grouping label lists (`by (…)`, `on (…)`, …), ranges (`[5m]`), strings,
 * numbers, Grafana variables (`$__rate_interval`), function calls and
 * keywords are not metric names; every other identifier is.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ")
    .replace(/\$\{[^}]*\}|\$\w+/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, " ")
    .replace(/(?<![\w:])\d[\w.]*(?:[eE][+-]?\d+)?/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const word = match[0];
    const rest = stripped.slice(match.index + word.length);
    if (/^\s*\(/.test(rest)) continue; // a function call
    if (AGGREGATIONS.has(word) || KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/**
 * The series names a Prometheus text exposition offers to a query: every
 * declared family (`# TYPE`) — a histogram as its `_bucket`, `_sum` and
 * `_count` series, a summary as itself plus `_sum` and `_count` — and every
 * sampled name. A declared family counts even before its first sample (a
 * labelled counter nothing has incremented yet).
 */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split("\n")) {
    const declared = /^# TYPE ([A-Za-z_:][\w:]*) (\w+)/.exec(line);
    if (declared?.[1] && declared[2]) {
      const [, name, type] = declared;
      if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
      else if (type === "summary") for (const suffix of ["", "_sum", "_count"]) names.add(name + suffix);
      else names.add(name);
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)(?:\{|\s)/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}

/** Names of metrics with at least one sample (not only declared). */
export function sampledMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split("\n")) {
    const sample = /^([A-Za-z_:][\w:]*)(?:\{|\s)/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}
