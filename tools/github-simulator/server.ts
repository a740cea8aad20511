import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { text as readBody } from "node:stream/consumers";
import type { Logger } from "pino";
import { readAuthorization, verifyAppJwt } from "./auth.js";
import { GitHubApiError, badCredentials, jwtRejected, notFound, requiresAuthentication } from "./errors.js";
import type { FaultInjector } from "./faults.js";
import { describeProblem, githubInvalidRequestMessage } from "./openapi-validator.js";
import type { SpecOperation } from "./openapi-spec.js";
import type { Caller, RouteMatch, RouteResult, Router } from "./router.js";
import type { RequestLogEntry } from "./types.js";
import type { World } from "./world.js";

/**
 * One request, start to end: strip the GHE prefix, match the route, answer an
 * injected fault or authenticate, validate the body against GitHub's OpenAPI
 * description, run the route, validate the response, log.
 */

export interface PipelineDeps {
  readonly router: Router;
  readonly world: World;
  readonly faults: FaultInjector;
  readonly requests: RequestLogEntry[];
  readonly logger: Logger;
}

const API_PREFIX = "/api/v3";
const GRAPHQL_PATHS = new Set(["/api/graphql", "/graphql", "/api/v3/graphql"]);

export function createRequestListener(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // A route that throws is a simulator bug: answer 500 and make it a violation so the test fails.
      deps.logger.error({ err: error }, "github simulator: request failed");
      deps.world.violations.push({ kind: "crash", method: req.method ?? "GET", route: req.url ?? "", status: 500, problems: [String(error)] });
      if (!res.headersSent) send(res, 500, { message: "Simulator error", error: String(error) }, {});
      else res.end();
    });
  };
}

async function handle(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const receivedAt = Date.now();
  const url = new URL(req.url ?? "/", "http://simulator.invalid");
  const method = (req.method ?? "GET").toUpperCase();
  const rawPath = GRAPHQL_PATHS.has(url.pathname) ? "/graphql" : stripPrefix(url.pathname);
  const logged = `${rawPath}${url.search}`;
  const match = deps.router.match(method, rawPath);
  const record = (status: number, extra: Partial<RequestLogEntry> = {}) =>
    deps.requests.push({ method, path: logged, route: match?.route.template ?? null, status, receivedAt, durationMs: performance.now() - started, ...extra });

  const bodyText = await readBody(req);
  if (!match) {
    const status = 404;
    send(res, status, errorBody(notFound(), "https://docs.github.com/rest"), {});
    record(status, { error: "Not Found" });
    return;
  }

  const fault = deps.faults.take(method, match.route.template, rawPath);
  if (fault?.when === "before") {
    send(res, fault.status, fault.body, fault.headers);
    record(fault.status, { fault: true, error: messageOf(fault.body) });
    return;
  }

  const operation = match.route.inOpenApi === false ? null : (deps.world.validator?.operation(method, match.route.template) ?? null);
  const documentationUrl = operation?.documentationUrl ?? "https://docs.github.com/rest";
  try {
    const caller = authenticate(deps.world, match, req.headers.authorization);
    const body = parseBody(bodyText);
    if (operation) checkRequest(deps.world, operation, body);
    const result = await match.route.handle({ method, path: rawPath, params: match.params, query: url.searchParams, headers: req.headers, body, caller });
    if (operation && result.json !== undefined) checkResponse(deps.world, operation, result.status, result.json);
    if (fault) {
      // Applied, then the answer is lost on the way back.
      send(res, fault.status, fault.body, fault.headers);
      record(fault.status, { fault: true, applied: true, error: messageOf(fault.body) });
      return;
    }
    sendResult(res, result);
    record(result.status);
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    const bodyOut = errorBody(error, documentationUrl);
    if (operation) checkResponse(deps.world, operation, error.status, bodyOut);
    send(res, error.status, bodyOut, error.headers);
    record(error.status, { error: error.body.message });
  }
}

function stripPrefix(pathname: string): string {
  if (pathname === API_PREFIX) return "/";
  return pathname.startsWith(`${API_PREFIX}/`) ? pathname.slice(API_PREFIX.length) : pathname;
}

function authenticate(world: World, match: RouteMatch, authorization: string | undefined): Caller {
  const credential = readAuthorization(authorization);
  if (!credential) throw requiresAuthentication();
  if (match.route.auth === "app") {
    const check = verifyAppJwt(credential, { id: world.app.id, clientId: world.app.clientId, publicKey: world.app.publicKey }, world.state.now());
    if (!check.ok) throw jwtRejected(check.message);
    return { kind: "app" };
  }
  const issued = world.tokens.valid(credential);
  if (!issued) throw badCredentials();
  return { kind: "installation", installationId: issued.installationId, token: issued.token, ...(issued.readOnly ? { readOnly: true } : {}) };
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GitHubApiError(400, { message: "Problems parsing JSON" });
  }
}

/** A body GitHub's schema rejects: 422 in GitHub's words, and a violation for the test to fail on. */
function checkRequest(world: World, operation: SpecOperation, body: unknown): void {
  const problems = world.validator?.validateRequest(operation, body) ?? [];
  if (problems.length === 0) return;
  world.violations.push({ kind: "request", method: operation.method, route: operation.template, problems: problems.map(describeProblem) });
  throw new GitHubApiError(422, { message: githubInvalidRequestMessage(problems) });
}

function checkResponse(world: World, operation: SpecOperation, status: number, json: unknown): void {
  const problems = world.validator?.validateResponse(operation, status, json);
  if (!problems || problems.length === 0) return;
  world.violations.push({ kind: "response", method: operation.method, route: operation.template, status, problems: problems.map(describeProblem) });
}

function errorBody(error: GitHubApiError, documentationUrl: string): Record<string, unknown> {
  return { ...error.body, documentation_url: error.body.documentation_url ?? documentationUrl, status: String(error.status) };
}

function messageOf(body: unknown): string | undefined {
  const message = body !== null && typeof body === "object" ? (body as Record<string, unknown>)["message"] : undefined;
  return typeof message === "string" ? message : undefined;
}

function sendResult(res: ServerResponse, result: RouteResult): void {
  if (result.raw !== undefined) {
    res.writeHead(result.status, { ...commonHeaders(), "content-type": result.contentType ?? "text/plain; charset=utf-8", ...result.headers });
    res.end(result.raw);
    return;
  }
  send(res, result.status, result.json, result.headers ?? {});
}

function send(res: ServerResponse, status: number, json: unknown, headers: Readonly<Record<string, string>>): void {
  const text = json === undefined ? "" : JSON.stringify(json);
  res.writeHead(status, { ...commonHeaders(), ...(text ? { "content-type": "application/json; charset=utf-8" } : {}), ...headers });
  res.end(text);
}

function commonHeaders(): Record<string, string> {
  return {
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": randomUUID(),
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-used": "1",
    "x-ratelimit-resource": "core",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
  };
}
