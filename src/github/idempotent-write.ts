import type { Logger } from "pino";
import { httpStatus } from "./client.js";

/**
 * A write that must happen once. A 5xx (or a dropped connection, which
 * Octokit reports as 500) does not say whether GitHub did the write: gateways
 * time out after the work is done. Octokit's retry plugin would simply send
 * it again and post a duplicate; here the write is sent without the plugin's
 * retries, and after an ambiguous failure Longview first looks for what it
 * wrote before writing again.
 */

/** Octokit request options that switch the retry plugin off for one request. */
export const NO_PLUGIN_RETRY = { retries: 0 } as const;

export interface IdempotentWrite<T> {
  /** Sends the write once (pass `request: NO_PLUGIN_RETRY`). */
  readonly write: () => Promise<T>;
  /** What the write produced, if GitHub did it after all; null when it did not. */
  readonly find: () => Promise<T | null>;
  readonly what: string;
  readonly log: Logger;
  /** Attempts in all (default 3). */
  readonly attempts?: number;
  /** Wait before the second attempt; doubles after (default 1 s). */
  readonly delayMs?: number;
}

export async function writeOnce<T>(input: IdempotentWrite<T>): Promise<T> {
  const attempts = input.attempts ?? 3;
  let delay = input.delayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await input.write();
    } catch (error) {
      const status = httpStatus(error);
      if (status === null || status < 500 || attempt >= attempts) throw error;
      // If even looking fails, the write's own error is the one worth reporting.
      const done = await input.find().catch((lookError: unknown) => {
        input.log.warn({ err: lookError }, `${input.what}: could not check whether GitHub did it`);
        throw error;
      });
      if (done !== null) {
        input.log.warn({ err: error, attempt }, `${input.what}: GitHub answered ${status} but had done it; not sending it again`);
        return done;
      }
      input.log.warn({ err: error, attempt, delayMs: delay }, `${input.what}: GitHub answered ${status}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
