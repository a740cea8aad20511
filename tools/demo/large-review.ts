import type { CreatedPullRequest, RepoName, Simulator } from "../github-simulator/index.js";

/**
 * What the large-review benchmark and its end-to-end test share: a generated
 * pull request of many one-line files, a `/ping` probe, and the server's
 * event-loop delay as it reports it on `/metrics`.
 */

export interface GeneratedPullRequest extends CreatedPullRequest {
  readonly repo: RepoName;
}

/** The one line of generated module `i` (`n`: its zero-padded number). */
export type ModuleLine = (i: number, n: string) => string;

export const PLAIN_LINE: ModuleLine = (i, n) => `export const value${n} = ${i} * 2;`;
/** A line each analyzer run reports on (dynamic code execution). */
export const FINDING_LINE: ModuleLine = (_i, n) => `export const run${n} = (input: string) => eval(input);`;

export interface GeneratedInput {
  readonly repo: string;
  readonly files: number;
  /** The first line of every module (default PLAIN_LINE). */
  readonly line?: ModuleLine;
  /** Lines per module (default 1); the ones after the first are plain constants. */
  readonly linesPerFile?: number;
  /**
   * The modules exist on the base branch already (with PLAIN_LINE first) and
   * the pull request changes only their first line: large head contents, few
   * changed lines.
   */
  readonly modify?: boolean;
}

/** A repository `acme/<repo>` and a pull request adding `files` TypeScript modules (one line each by default). */
export async function generatedPullRequest(sim: Simulator, input: GeneratedInput): Promise<GeneratedPullRequest> {
  const line = input.line ?? PLAIN_LINE;
  const base: Record<string, string> = { "README.md": "# generated\n" };
  const files: Record<string, string> = {};
  for (let i = 0; i < input.files; i++) {
    const n = String(i).padStart(5, "0");
    const path = `src/generated/module${n}.ts`;
    const rest = Array.from({ length: (input.linesPerFile ?? 1) - 1 }, (_, k) => `export const constant${n}_${k} = "${k}";\n`).join("");
    files[path] = `${line(i, n)}\n${rest}`;
    if (input.modify) base[path] = `${PLAIN_LINE(i, n)}\n${rest}`;
  }
  await sim.createRepo({
    owner: "acme",
    name: input.repo,
    commits: [{ message: "base", files: base }],
    branches: { feature: { commits: [{ message: `${input.modify ? "Change" : "Add"} ${input.files} modules`, files }] } },
  });
  const repo: RepoName = `acme/${input.repo}`;
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: `Add ${input.files} modules` });
  return { ...pr, repo };
}

export interface PingSample {
  readonly ms: number;
  readonly ok: boolean;
}

export interface PingProbe {
  /** Stops probing; resolves with every sample, the one in flight included. */
  stop(): Promise<PingSample[]>;
}

/**
 * Asks `url` every `intervalMs`, one request at a time: a request that takes
 * longer delays the next, so a blocked server shows as one long sample.
 */
export function probePing(url: string, intervalMs: number, timeoutMs = 600_000): PingProbe {
  const samples: PingSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      let ok = false;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        ok = res.ok;
      } catch {
        ok = false;
      }
      const ms = performance.now() - started;
      samples.push({ ms, ok });
      if (ms < intervalMs && !stopped) await new Promise((r) => setTimeout(r, intervalMs - ms));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

export interface LatencySummary {
  readonly count: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(samples: readonly PingSample[]): LatencySummary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: samples.length, failed: samples.filter((s) => !s.ok).length, p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

export interface EventLoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The server's event-loop delay in ms since the previous scrape (prom-client
 * resets its perf_hooks histogram on every scrape of `/metrics`).
 */
export async function readEventLoopDelay(baseUrl: string): Promise<EventLoopDelay> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const gauge = (name: string) => {
    const match = new RegExp(`^longview_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text);
    if (!match) throw new Error(`/metrics has no longview_nodejs_eventloop_lag_${name}_seconds`);
    return round(Number(match[1]) * 1_000);
  };
  return { p50: gauge("p50"), p99: gauge("p99"), max: gauge("max") };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
