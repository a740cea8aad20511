import type { GitHub } from "./client.js";

export type RateLimitSink = (installationId: number, resource: string, remaining: number) => void;

/**
 * Reports GitHub's `x-ratelimit-remaining` after every response of this
 * client (one per job), so `/metrics` shows how close each installation is
 * to its limit before throttling starts.
 */
export function observeRateLimit(gh: GitHub, installationId: number, sink: RateLimitSink): void {
  gh.hook.after("request", (response) => {
    const headers = response.headers as Readonly<Record<string, string | number | undefined>>;
    const remaining = Number(headers["x-ratelimit-remaining"]);
    if (headers["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining)) return;
    sink(installationId, String(headers["x-ratelimit-resource"] ?? "core"), remaining);
  });
}
