import type { IncomingHttpHeaders } from "node:http";

/**
 * Routes are keyed by GitHub's OpenAPI path templates, so a matched request
 * names its OpenAPI operation directly.
 */

export type Caller =
  | { readonly kind: "app" }
  /** `readOnly`: a token that may read but not write (GitHub Actions' `GITHUB_TOKEN` on a pull request from a fork). */
  | { readonly kind: "installation"; readonly installationId: number; readonly token: string; readonly readOnly?: boolean };

export interface RouteContext {
  readonly method: string;
  /** Request path without the /api/v3 prefix and query. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly caller: Caller;
}

export interface RouteResult {
  readonly status: number;
  /** JSON body (validated against the operation's response schema). */
  readonly json?: unknown;
  /** Non-JSON body (raw file content, diffs), sent as is with `contentType`. */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** OpenAPI path template, e.g. "/repos/{owner}/{repo}/pulls/{pull_number}". */
  readonly template: string;
  /** "app": a JWT signed with the app's key; "installation": an installation token. */
  readonly auth: "app" | "installation";
  /** Parameters that may contain slashes (file paths, refs). */
  readonly greedy?: readonly string[];
  /** False for routes GitHub's REST description does not have (GraphQL). Default true. */
  readonly inOpenApi?: boolean;
  handle(context: RouteContext): Promise<RouteResult>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
}

export class Router {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map(compile);
  }

  get routes(): readonly Route[] {
    return this.#routes.map((r) => r.route);
  }

  /** The most specific route for this method and raw (still percent-encoded) path. */
  match(method: string, rawPath: string): RouteMatch | null {
    let best: { compiled: CompiledRoute; values: string[] } | null = null;
    for (const compiled of this.#routes) {
      if (compiled.route.method !== method) continue;
      const found = compiled.pattern.exec(rawPath);
      if (!found) continue;
      if (!best || compiled.literals > best.compiled.literals) best = { compiled, values: found.slice(1) };
    }
    if (!best) return null;
    const params: Record<string, string> = {};
    best.compiled.names.forEach((name, i) => {
      params[name] = safeDecode(best.values[i] ?? "");
    });
    return { route: best.compiled.route, params };
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  let literals = 0;
  const source = route.template
    .split("/")
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (!param) {
        literals++;
        return escapeRegExp(segment);
      }
      const name = param[1] ?? "";
      names.push(name);
      return route.greedy?.includes(name) ? "(.*)" : "([^/]+)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}/?$`), names, literals };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
