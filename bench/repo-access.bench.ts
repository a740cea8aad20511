/**
 * Repository access benchmark: `npm run bench:repo`.
 *
 * A generated repository of BENCH_REPO_FILES files (default 3,000 source-like
 * files of 0.5–8 KB, 4 KB on average, in ~150 directories) in the GitHub simulator, read through
 * `GitHubHost.repository` with each strategy: "blobs" (Git Trees + one Blobs
 * request per file), "tarball" (Git Trees + the commit's archive), "auto"
 * (blobs, then the archive past LONGVIEW_REPO_ARCHIVE_AFTER_READS). For each
 * review-sized workload (BENCH_READS, default 5,50,500 distinct files, 8 in
 * flight) it prints HTTP requests and bytes on the wire (counted in the
 * client's fetch), the snapshot's own stats, and wall time (median of
 * BENCH_RUNS, default 3). Limits are lifted for the measurement; the
 * "refused at defaults" column says what the default budget would refuse.
 *
 * Then one review's worth: the impact context of a pull request that changes
 * the signature of a function every generated file calls, computed through
 * the same snapshot at the default limits, as the app does before planning.
 *
 * The simulator runs in this process and on localhost: times compare the
 * strategies with each other, not with GitHub (where a request costs ~50–300 ms
 * and each API call counts against the installation's 5,000 an hour).
 */
import { createPrivateKey, sign } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { DEFAULT_REPOSITORY_LIMITS, type RepositoryLimits } from "../src/domain/repository.js";
import type { GitHub } from "../src/github/client.js";
import { DEFAULT_TARBALL_AFTER_READS, gitHubRepositorySnapshot, type RepositoryStrategy } from "../src/github/repository-snapshot.js";
import { createTwoFilesPatch } from "diff";
import { buildChangeSet } from "../src/diff/build-change-set.js";
import { parseUnifiedDiff } from "../src/diff/parse-unified-diff.js";
import { computeImpact } from "../src/repo/index.js";
import { mapConcurrent } from "../src/util/map-concurrent.js";
import { startSimulator, type Simulator } from "../tools/github-simulator/index.js";

const FILES = positive("BENCH_REPO_FILES", 3_000);
const READS = (process.env.BENCH_READS ?? "5,50,500").split(",").map((n) => Number(n));
const RUNS = positive("BENCH_RUNS", 3);
const AFTER = positive("LONGVIEW_REPO_ARCHIVE_AFTER_READS", DEFAULT_TARBALL_AFTER_READS);
const IN_FLIGHT = 8;
const COMPUTE_PATH = "packages/core/src/compute.ts";
const COMPUTE_BASE = `export function compute(index: number, key: string): string {\n  return \`\${key}:\${index}\`;\n}\n`;
const COMPUTE_HEAD = `export function compute(key: string, index: number, salt = ""): string {\n  return \`\${key}:\${index}\${salt}\`;\n}\n`;

const UNLIMITED: RepositoryLimits = { maxFileBytes: DEFAULT_REPOSITORY_LIMITS.maxFileBytes, maxTotalBytes: 10 * 1024 ** 3, maxRequests: 1_000_000 };

const sim = await startSimulator({ validate: false });
try {
  const files = { ...generatedRepository(FILES), [COMPUTE_PATH]: COMPUTE_HEAD };
  const contentBytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  await sim.createRepo({ owner: "bench", name: "monorepo", commits: [{ message: "generated", files }] });
  const wire = { requests: 0, bytes: 0 };
  const gh = await client(sim, wire);
  const repo = { owner: "bench", repo: "monorepo" };
  const sha = (await gh.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
  const paths = Object.keys(files);
  console.log(`repository: ${FILES} files, ${(contentBytes / 1024 / 1024).toFixed(1)} MiB of content; ${IN_FLIGHT} reads in flight; median of ${RUNS} runs\n`);
  console.log(["reads", "strategy", "http requests", "wire KiB", "snapshot requests", "snapshot KiB", "ms", "refused at defaults"].join(" | "));
  for (const reads of READS) {
    const wanted = pick(paths, reads);
    for (const strategy of ["blobs", "tarball", "auto"] as const) {
      const runs: { ms: number; http: number; bytes: number; stats: ReturnType<typeof measure> extends Promise<infer S> ? S : never }[] = [];
      for (let run = 0; run < RUNS; run++) {
        wire.requests = 0;
        wire.bytes = 0;
        const started = performance.now();
        const stats = await measure(gh, repo, sha, strategy, wanted, UNLIMITED);
        runs.push({ ms: performance.now() - started, http: wire.requests, bytes: wire.bytes, stats });
      }
      runs.sort((a, b) => a.ms - b.ms);
      const median = runs[Math.floor(runs.length / 2)]!;
      const atDefaults = await measure(gh, repo, sha, strategy, wanted, DEFAULT_REPOSITORY_LIMITS);
      console.log(
        [
          reads,
          strategy === "auto" ? `auto(${AFTER})` : strategy,
          median.http,
          (median.bytes / 1024).toFixed(0),
          median.stats.requests,
          (median.stats.bytesFetched / 1024).toFixed(0),
          median.ms.toFixed(0),
          atDefaults.refused,
        ].join(" | "),
      );
    }
  }
  console.log("\none review: impact context of a changed signature called from every file (auto strategy, default limits)");
  console.log(["http requests", "wire KiB", "snapshot requests", "snapshot KiB", "files read", "refused", "changes", "usages shown", "ms"].join(" | "));
  wire.requests = 0;
  wire.bytes = 0;
  const started = performance.now();
  const snapshot = gitHubRepositorySnapshot(gh as unknown as GitHub, repo, sha, { limits: DEFAULT_REPOSITORY_LIMITS, tarballAfterReads: AFTER });
  const patch = createTwoFilesPatch(`a/${COMPUTE_PATH}`, `b/${COMPUTE_PATH}`, COMPUTE_BASE, COMPUTE_HEAD, "", "", { context: 3 });
  const changed = parseUnifiedDiff(`diff --git a/${COMPUTE_PATH} b/${COMPUTE_PATH}\n${patch.slice(patch.indexOf("---"))}`);
  const { impact } = await computeImpact({ changeSet: buildChangeSet({ files: changed, headContents: new Map([[COMPUTE_PATH, COMPUTE_HEAD]]) }), snapshot });
  const ms = performance.now() - started;
  const stats = snapshot.stats();
  console.log(
    [
      wire.requests,
      (wire.bytes / 1024).toFixed(0),
      stats.requests,
      (stats.bytesFetched / 1024).toFixed(0),
      stats.filesRead,
      stats.refused,
      impact.changes.length,
      impact.changes.reduce((n, c) => n + c.usages.length, 0),
      ms.toFixed(0),
    ].join(" | "),
  );
} finally {
  await sim.close();
}

async function measure(
  gh: Octokit,
  repo: { owner: string; repo: string },
  sha: string,
  strategy: RepositoryStrategy,
  wanted: readonly string[],
  limits: RepositoryLimits,
) {
  const snapshot = gitHubRepositorySnapshot(gh as unknown as GitHub, repo, sha, { limits, strategy, tarballAfterReads: AFTER });
  await snapshot.paths();
  const texts = await mapConcurrent(wanted, IN_FLIGHT, (path) => snapshot.read(path));
  if (limits === UNLIMITED && texts.some((t) => t === null)) throw new Error(`${strategy}: a file could not be read`);
  return snapshot.stats();
}

/** Source-like files: deterministic sizes from 0.5 to 8 KB (4 KB on average), a few per directory. */
function generatedRepository(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < count; i++) {
    const dir = `packages/pkg-${i % 30}/src/area-${Math.floor(i / 30) % 5}`;
    const lines = 8 + (next() % 110);
    const body = Array.from({ length: lines }, (_, l) => `export const value${l}_${next() % 1000} = compute(${l}, "${(next() % 1e9).toString(36)}");`);
    files[`${dir}/module-${i}.ts`] = `// module ${i}\nimport { compute } from "../../../core/src/compute.js";\n${body.join("\n")}\n`;
  }
  return files;
}

function pick(paths: readonly string[], n: number): string[] {
  const step = Math.max(1, Math.floor(paths.length / n));
  return Array.from({ length: Math.min(n, paths.length) }, (_, i) => paths[(i * step + 7) % paths.length]!);
}

/** A plain Octokit with an installation token, whose fetch counts requests and the bytes of every response body. */
async function client(sim: Simulator, wire: { requests: number; bytes: number }): Promise<Octokit> {
  const installationId = sim.installationId("bench");
  if (installationId === null) throw new Error("no installation");
  const now = Math.floor(Date.now() / 1000) - 30;
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now, exp: now + 600, iss: sim.app.id })}`;
  const jwt = `${unsigned}.${sign("RSA-SHA256", Buffer.from(unsigned), createPrivateKey(sim.app.privateKey)).toString("base64url")}`;
  const response = await fetch(`${sim.url}/app/installations/${installationId}/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${jwt}` } });
  const { token } = (await response.json()) as { token: string };
  const counting: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    wire.requests += answer.redirected ? 2 : 1;
    if (!answer.body) return answer;
    const counted = answer.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          wire.bytes += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
  return new Octokit({
    baseUrl: sim.url,
    auth: token,
    request: { fetch: counting },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}
