import { describe, expect, test } from "@jest/globals";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { priceTable } from "../../../src/config/model-prices.js";
import { LongviewMetrics } from "../../../src/ops/metrics.js";
import { dashboardQueries, exposedMetricNames, loadDashboard, promqlMetricNames, queryPanels } from "../../helpers/dashboard.js";
import { silentLog } from "../../helpers/github.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const readYaml = (path: string): unknown => parse(readFileSync(join(ROOT, path), "utf8"));

describe("promqlMetricNames", () => {
  test.each([
    ["longview_queue_up", ["longview_queue_up"]],
    ["max by (state) (longview_queue_jobs)", ["longview_queue_jobs"]],
    ['sum by (outcome) (rate(longview_jobs_finished_total{outcome!="skipped", job=~"longview-.*"}[$__rate_interval])) * 60', ["longview_jobs_finished_total"]],
    ['histogram_quantile(0.99, sum by (le) (rate(longview_job_duration_seconds_bucket{outcome="reviewed"}[5m])))', ["longview_job_duration_seconds_bucket"]],
    ["sum(rate(a_sum[1m])) / sum without (instance) (rate(a_count[1m] offset 1h)) > bool 1e3", ["a_count", "a_sum"]],
    ["up == 0 or on (instance) group_left (version) node_info and ignoring(job) x unless y", ["node_info", "up", "x", "y"]],
    ['sum(increase(c_total[${__range}])) + count_values("v", d) + topk(3, e) - 0.5', ["c_total", "d", "e"]],
  ])("%s", (expr, names) => {
    expect(promqlMetricNames(expr)).toEqual(names);
  });
});

describe("exposedMetricNames", () => {
  test("declared families count before their first sample; a histogram offers its three series, not its bare name", () => {
    const names = exposedMetricNames(
      ["# HELP h_seconds Duration.", "# TYPE h_seconds histogram", "# TYPE c_total counter", "# TYPE g gauge", 'g{state="waiting"} 0', "untyped_sample 1"].join(
        "\n",
      ),
    );
    expect([...names].sort()).toEqual(["c_total", "g", "h_seconds_bucket", "h_seconds_count", "h_seconds_sum", "untyped_sample"]);
  });
});

describe("ops/grafana/dashboards/longview.json", () => {
  const dashboard = loadDashboard();

  test("is a dashboard whose every panel (rows aside) has a Prometheus datasource, a description and a query", () => {
    // loadDashboard validates the shape (zod); these are the properties it would not see.
    const panels = queryPanels(dashboard);
    expect(panels.length).toBeGreaterThanOrEqual(10);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) for (const target of panel.targets) expect(target.datasource ?? panel.datasource).toEqual(panel.datasource);
  });

  test("reads only Longview's own metrics, and each query reads at least one", () => {
    for (const { panel, expr } of dashboardQueries(dashboard)) {
      const names = promqlMetricNames(expr);
      expect({ panel, expr, names: names.length > 0 }).toEqual({ panel, expr, names: true });
      for (const name of names) expect(name).toMatch(/^longview_/);
    }
  });

  test("every query has balanced brackets, and every panel type is one the dashboard's Grafana ships", () => {
    for (const panel of queryPanels(dashboard)) expect(["timeseries", "stat"]).toContain(panel.type);
    for (const { expr } of dashboardQueries(dashboard)) {
      const open: string[] = [];
      const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
      for (const ch of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
        if ("([{".includes(ch)) open.push(ch);
        else if (ch in pairs) expect({ expr, closes: open.pop() }).toEqual({ expr, closes: pairs[ch] });
      }
      expect({ expr, unclosed: open }).toEqual({ expr, unclosed: [] });
    }
  });

  test("queries only metrics that LongviewMetrics registers (the end-to-end test checks a real server's /metrics)", async () => {
    const metrics = new LongviewMetrics({
      prices: priceTable(undefined),
      log: silentLog,
      processMetrics: true,
      processFaults: () => ({ unhandled_rejection: 0, uncaught_exception: 0 }),
    });
    const exposed = exposedMetricNames(await metrics.render());
    const missing = dashboardQueries(dashboard).flatMap(({ panel, expr }) =>
      promqlMetricNames(expr)
        .filter((n) => !exposed.has(n))
        .map((name) => ({ panel, name })),
    );
    expect(missing).toEqual([]);
  });

  test("uses the datasource uid that Grafana provisioning declares", () => {
    const provisioned = z
      .object({ datasources: z.array(z.object({ uid: z.string(), type: z.string(), url: z.string() })).length(1) })
      .parse(readYaml("ops/grafana/provisioning/datasources/prometheus.yml")).datasources[0]!;
    expect(provisioned).toMatchObject({ type: "prometheus", url: "http://prometheus:9090" });
    for (const panel of queryPanels(dashboard)) expect(panel.datasource.uid).toBe(provisioned.uid);
  });
});

describe("compose.yaml's monitoring services", () => {
  const Service = z.object({
    image: z.string().optional(),
    expose: z.array(z.string()).optional(),
    volumes: z.array(z.string()).optional(),
  });
  const compose = z.object({ services: z.record(z.string(), Service) }).parse(readYaml("compose.yaml"));

  test.each(["prometheus", "grafana"])("%s runs a pinned image and mounts existing repository files read-only", (name) => {
    const service = compose.services[name];
    expect(service?.image).toMatch(/:v?\d+\.\d+\.\d+$/);
    const binds = (service?.volumes ?? []).filter((v) => v.startsWith("./"));
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) {
      const [source, , mode] = bind.split(":");
      expect({ bind, exists: existsSync(join(ROOT, source!)), mode }).toEqual({ bind, exists: true, mode: "ro" });
    }
  });

  test("Grafana's dashboard provider reads the directory compose mounts the dashboard into", () => {
    const provider = z
      .object({ providers: z.array(z.object({ type: z.literal("file"), options: z.object({ path: z.string() }) })).length(1) })
      .parse(readYaml("ops/grafana/provisioning/dashboards/longview.yml")).providers[0]!;
    const mounts = compose.services["grafana"]?.volumes ?? [];
    expect(mounts).toContain(`./ops/grafana/dashboards:${provider.options.path}:ro`);
  });

  test("Prometheus scrapes the app and worker services on the ports they expose", () => {
    const config = z
      .object({
        scrape_configs: z.array(z.object({ job_name: z.string(), dns_sd_configs: z.array(z.object({ names: z.array(z.string()), port: z.number() })) })),
      })
      .parse(readYaml("ops/prometheus/prometheus.yml"));
    const targets = config.scrape_configs.flatMap((c) => c.dns_sd_configs.flatMap((d) => d.names.map((n) => `${n}:${d.port}`)));
    expect(targets.sort()).toEqual(["app:3000", "worker:3001"]);
    for (const target of targets) {
      const [service, port] = target.split(":");
      expect(compose.services[service!]?.expose).toContain(port);
    }
  });
});
