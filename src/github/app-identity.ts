import type { GitHub } from "./client.js";
import { AppSchema } from "./schemas.js";

/**
 * Longview's own login (`slug[bot]`), asked of GitHub once (`GET /app`, with
 * the app's JWT, which Probot's Octokit uses for that route by itself). Only
 * comments by this login are Longview's findings: anybody can type the same
 * markdown.
 */
export interface AppIdentity {
  botLogin(gh: GitHub): Promise<string>;
}

export function createAppIdentity(): AppIdentity {
  let login: Promise<string> | null = null;
  return {
    botLogin(gh) {
      login ??= gh.rest.apps.getAuthenticated().then(
        ({ data }) => `${AppSchema.parse(data).slug}[bot]`,
        (error: unknown) => {
          // Not cached: the next command asks again.
          login = null;
          throw error;
        },
      );
      return login;
    },
  };
}
