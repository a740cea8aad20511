import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { FORGED_SIGNATURE, piecesOf, sendRaw, webhookHeaders, type RawAnswer } from "../helpers/webhook-http.js";

/**
 * The webhook intake of the real server process (src/main.ts) against the
 * simulator: oversized, lying, slow, forged and malformed deliveries are
 * refused with a final answer — never "202 still processing" — before
 * anything is processed, and memory stays flat. GitHub's 25 MB cap is the
 * default; the read deadline and idle timeout are shortened to keep the
 * test quick.
 */

const MiB = 1024 * 1024;
const READ_TIMEOUT_MS = 3_000;
const IDLE_TIMEOUT_MS = 1_500;
let sim: Simulator;
let longview: LongviewProcess;

beforeAll(async () => {
  // nock's interception holds a request body until the request ends: a stalled or dripping sender would never be seen.
  nock.restore();
  sim = await startSimulator();
  longview = await startLongview({
    ...simulatorEnv(sim),
    LONGVIEW_WEBHOOK_READ_TIMEOUT_MS: String(READ_TIMEOUT_MS),
    LONGVIEW_WEBHOOK_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
  });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

async function pullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "a.js": "1\n" } }],
    branches: { feature: { commits: [{ message: "eval", files: { "a.js": "eval(process.argv[2]);\n" } }] } },
  });
  return sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "x" });
}

/** Signed with the App's real secret: only the intake's limits can refuse it. */
async function signedHeaders(body: string, contentLength: number | null = Buffer.byteLength(body)) {
  return webhookHeaders({ sign: { secret: sim.app.webhookSecret, body }, contentLength });
}

async function nothingProcessed(repo: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_000));
  expect(sim.requests.filter((r) => r.path.includes(repo))).toEqual([]);
  expect(longview.logs.filter((l) => l.includes(repo) && l.includes("queued"))).toEqual([]);
}

function memoryMb(): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${longview.pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

const error = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: string }).error;

describe("webhook intake of the real server", () => {
  test("a genuine delivery still works: 200, then the review's check run", async () => {
    const pr = await pullRequest("intake-valid");
    const answer = await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    expect(answer.status).toBe(200);
    await waitFor(() => sim.state.checkRuns("acme/intake-valid", pr.headSha).find((c) => c.status === "completed"), "check run");
  });

  test("a 26 MiB delivery, even correctly signed, is refused with 413 — at once from its Content-Length, at the cap when chunked — and nothing is processed", async () => {
    const pr = await pullRequest("intake-oversized");
    const body = JSON.stringify({ ...pr.payload, pull_request: { ...(pr.payload.pull_request as Record<string, unknown>), body: "x".repeat(26 * MiB) } });

    // Headers only: the answer must come without the body.
    const declared = await sendRaw({ port: longview.port, headers: await signedHeaders(body), end: false });
    expect([declared.status, error(declared)]).toEqual([413, `body too large (over ${25 * MiB} bytes)`]);
    expect(declared.ms).toBeLessThan(1_000);

    // Chunked: the server counts and cuts the connection at the cap (the sender may see the 413 or the cut).
    const chunked = await sendRaw({ port: longview.port, headers: await signedHeaders(body, null), pieces: [{ data: body }] });
    expect([413, "reset"]).toContain(chunked.status);
    await nothingProcessed("acme/intake-oversized");
  });

  test("a Content-Length that lies: a shorter body is a stalled one (408); a longer one is read only as far as declared", async () => {
    const pr = await pullRequest("intake-lying");
    const body = JSON.stringify(pr.payload);

    const short = await sendRaw({
      port: longview.port,
      headers: await signedHeaders(body, Buffer.byteLength(body) + 1_000),
      pieces: [{ data: body }],
      end: false,
    });
    expect([short.status, error(short)]).toEqual([408, "body stalled"]);
    expect(short.ms).toBeLessThan(IDLE_TIMEOUT_MS + 1_000);

    const long = await sendRaw({ port: longview.port, headers: await signedHeaders(body, Buffer.byteLength(body) - 10), pieces: [{ data: body }] });
    // The declared bytes fail the signature (401); the bytes after them are a malformed next request that Node's
    // HTTP parser refuses (400, connection closed) — whichever the sender sees first.
    expect([400, 401, "reset"]).toContain(long.status);
    await nothingProcessed("acme/intake-lying");
  });

  test("a slow body is answered 408 within the read deadline — never 202 — signed or not", async () => {
    const pr = await pullRequest("intake-slow");
    const body = JSON.stringify(pr.payload);
    const [forged, signed] = await Promise.all([
      sendRaw({ port: longview.port, headers: await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: MiB }), pieces: piecesOf(MiB, 100, 200) }),
      sendRaw({
        port: longview.port,
        headers: await signedHeaders(body),
        pieces: piecesOf(Buffer.byteLength(body), 100, 200).map((p, i) => ({ ...p, data: Buffer.from(body).subarray(i * 100, i * 100 + 100) })),
      }),
    ]);
    for (const answer of [forged, signed]) {
      expect([answer.status, error(answer)]).toEqual([408, "body not received in time"]);
      expect(answer.ms).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 100);
      expect(answer.ms).toBeLessThan(READ_TIMEOUT_MS + 1_000);
    }
    await nothingProcessed("acme/intake-slow");
  });

  test("the signature is checked before JSON: an unsigned body that is not JSON is 401, not 400", async () => {
    for (const sign of [FORGED_SIGNATURE, null]) {
      const answer = await sendRaw({ port: longview.port, headers: await webhookHeaders({ sign, contentLength: 9 }), pieces: [{ data: "{not json" }] });
      expect(answer.status).toBe(401);
    }
  });

  test("signed payloads of the wrong shape, or null, are 400 with a short message, and nothing is processed", async () => {
    const pr = await pullRequest("intake-shape");
    const wrong = { ...pr.payload, pull_request: { ...(pr.payload.pull_request as Record<string, unknown>), number: "one" } };
    const answers: [number | string, string][] = [];
    for (const payload of [wrong, null]) {
      const body = JSON.stringify(payload);
      const answer = await sendRaw({ port: longview.port, headers: await signedHeaders(body), pieces: [{ data: body }] });
      answers.push([answer.status, error(answer)]);
      expect(answer.body).not.toMatch(/ZodError|\n\s+at /);
    }
    expect(answers).toEqual([
      [400, "pull_request.opened payload: pull_request.number: Invalid input: expected number, received string"],
      [400, "payload must be a JSON object"],
    ]);
    await nothingProcessed("acme/intake-shape");
  });

  test("memory stays flat under four forged 100 MB bodies in parallel, declared or chunked", async () => {
    const before = memoryMb();
    const attacks = await Promise.all(
      [true, true, false, false].map(async (chunked) =>
        sendRaw({
          port: longview.port,
          headers: await webhookHeaders({ sign: FORGED_SIGNATURE, contentLength: chunked ? null : 100 * MiB }),
          pieces: piecesOf(100 * MiB),
        }),
      ),
    );
    for (const answer of attacks) expect([413, 503, "reset"]).toContain(answer.status);
    const after = memoryMb();
    // The bodies being read share a 100 MiB budget (LONGVIEW_WEBHOOK_BUFFER_BYTES): nowhere near the 400 MB sent.
    expect(after.peak - before.peak).toBeLessThan(250);
  });
});
