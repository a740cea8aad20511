import { describe, test } from "@jest/globals";
import { connect } from "node:net";

/**
 * Suites that need the shared Redis (REDIS_URL, default 127.0.0.1:6379)
 * use these instead of `describe`/`test`: on a machine without Redis they
 * are skipped, and their names say why, so `npm test` still finishes and
 * reports what it did not run. `.ci/run` starts Redis, so CI runs them all.
 */

import { REDIS_URL } from "./redis-url.js";

export { REDIS_URL };

/** One TCP connect + PING at module load (no client library, no reconnect noise). */
export const redisAvailable: boolean = await ping(REDIS_URL, 1_000);

const reason = `[skipped: no Redis answers at ${REDIS_URL}]`;

export const describeWithRedis = (name: string, fn: () => void): void => {
  if (redisAvailable) return describe(name, fn);
  describe.skip(`${name} ${reason}`, fn);
  // Jest runs no hook of a file whose every test is skipped, setup files' included: nock's interceptors would stay
  // installed for the next file in the same worker. One test that runs (and says why the rest did not) keeps them paired.
  test(`${name}: not run ${reason}`, () => undefined);
};

export const testWithRedis = (name: string, fn: () => Promise<void>, timeoutMs?: number): void =>
  redisAvailable ? test(name, fn, timeoutMs) : test.skip(`${name} ${reason}`, fn, timeoutMs);

function ping(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}
