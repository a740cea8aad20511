import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { createOctokitClass, WRITE_BURST } from "../../../src/github/octokit.js";
import { releaseFetchFromNock } from "../../simulator/helpers.js";

releaseFetchFromNock();

/** When each write reached the server, in ms since the first. */
let arrivals: number[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const INTERVAL = 500;

async function writes(n: number): Promise<number[]> {
  arrivals = [];
  const Octokit = createOctokitClass({ writeIntervalMs: INTERVAL, rateLimitRetries: 0, maxRetryAfterSeconds: 1 }).defaults({ retry: { enabled: false } });
  const gh = new Octokit({ auth: "test-token", baseUrl });
  // Check-run updates: writes that notify nobody.
  await Promise.all(Array.from({ length: n }, (_, i) => gh.request("PATCH /repos/{owner}/{repo}/check-runs/{id}", { owner: "o", repo: "r", id: i })));
  return arrivals.map((t) => t - arrivals[0]!);
}

test("a review's few writes go out without waiting; a long run of writes is spaced at the interval", async () => {
  const few = await writes(WRITE_BURST);
  expect(few.at(-1)!).toBeLessThan(INTERVAL);

  const many = await writes(WRITE_BURST + 4);
  // The four past the burst wait for the bucket to refill, one interval each (refills are checked every 250 ms at most).
  expect(many.at(-1)!).toBeGreaterThanOrEqual(3 * INTERVAL);
  for (let i = WRITE_BURST + 1; i < many.length; i++) expect(many[i]! - many[i - 1]!).toBeGreaterThanOrEqual(INTERVAL - 80);
}, 30_000);
