import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createAppIdentity } from "./app-identity.js";
import { TokenStore } from "./auth.js";
import { ScriptedCi } from "./ci.js";
import { FaultInjector } from "./faults.js";
import { OpenApiValidator } from "./openapi-validator.js";
import { DiffCache } from "./pr-diff.js";
import { PullEvents } from "./pull-events.js";
import { Urls } from "./render/urls.js";
import { repoNamed } from "./repo-lookup.js";
import { allRoutes } from "./routes/index.js";
import { Router } from "./router.js";
import { createBranch, createPullRequest, createRepo, forcePush, forkRepo, installationOf, pushCommit } from "./seeding.js";
import { createRequestListener } from "./server.js";
import type { Simulator, SimulatorOptions } from "./simulator-types.js";
import { SimState } from "./state.js";
import { createStateReader } from "./state-reader.js";
import type { RequestLogEntry, Violation, WebhookDelivery } from "./types.js";
import { deliverWebhook } from "./webhook.js";
import type { SimulatorLimits, World } from "./world.js";

const DEFAULT_LIMITS: SimulatorLimits = { maxPatchBytes: 400_000, maxListedFiles: 3_000, maxCompareFiles: 300, maxDiffFiles: 300, maxTreeEntries: 100_000 };

/** Starts a simulated GitHub (REST under /api/v3, GraphQL at /api/graphql) on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? (() => new Date());
  const state = new SimState(now);
  const app = createAppIdentity(state, options);
  const workDir = await mkdtemp(join(tmpdir(), "github-sim-"));
  const events = new PullEvents();
  if (options.onWebhook) events.subscribe(options.onWebhook);
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  const violations: Violation[] = [];

  const server = createServer();
  const host = options.host ?? "127.0.0.1";
  await listen(server, host, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const world: World = {
    state,
    app,
    urls: new Urls(`http://${host}:${port}`),
    diffs: new DiffCache(),
    tokens: new TokenStore(now, options.tokenTtlSeconds ?? 3600),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    events,
    validator: options.validate === false ? null : new OpenApiValidator(),
    violations,
  };
  const ci = new ScriptedCi(world);
  const deliveries: WebhookDelivery[] = [];
  const logger = options.logger ?? pino({ level: "silent" });
  server.on("request", createRequestListener({ router: new Router(allRoutes(world)), world, faults, requests, logger }));

  return {
    url: world.urls.apiBase,
    port,
    host: `${host}:${port}`,
    app: { id: app.id, slug: app.slug, privateKey: app.privateKeyPem, webhookSecret: app.webhookSecret, botLogin: app.bot.login },
    faults,
    requests,
    violations,
    webhookErrors: events.handlerErrors,
    deliveries,
    ci,
    state: createStateReader(state),
    installationId: (owner) => installationOf(world, owner),
    installationToken(owner, tokenOptions) {
      const id = installationOf(world, owner);
      if (id === null) throw new Error(`simulator: the app is not installed on ${owner}`);
      return world.tokens.issue(id, tokenOptions).token;
    },
    createRepo: (input) => createRepo(world, workDir, input),
    forkRepo: (name, input) => forkRepo(world, workDir, name, input),
    createBranch: (name, branch, from) => createBranch(world, name, branch, from),
    createPullRequest: (input) => createPullRequest(world, input),
    pushCommit: (name, branch, commit, pushOptions) => pushCommit(world, name, branch, commit, pushOptions?.sender),
    forcePush: (name, branch, onto, commit, pushOptions) => forcePush(world, name, branch, onto, commit, pushOptions?.sender),
    setPermission(name, user, permission) {
      repoNamed(state, name).permissions.set(user.toLowerCase(), permission);
    },
    reactToReviewComment(name, commentId, user, content) {
      const repo = repoNamed(state, name);
      if (!state.reviewComment(repo, commentId)) throw new Error(`simulator: no review comment ${commentId} in ${name}`);
      const reactor = state.user(user);
      const subject = { type: "review_comment" as const, id: commentId };
      const exists = state.reactions.some((r) => r.subject.type === subject.type && r.subject.id === commentId && r.user === reactor && r.content === content);
      if (!exists) state.reactions.push({ id: state.nextId("reaction"), subject, user: reactor, content, createdAt: state.now() });
    },
    resolveThread(name, commentId, user, resolved = true) {
      const repo = repoNamed(state, name);
      const thread = state.threads.find((t) => t.repo === repo && t.rootCommentId === commentId);
      if (!thread) throw new Error(`simulator: no review thread starts with comment ${commentId} in ${name}`);
      thread.isResolved = resolved;
      thread.resolvedBy = resolved ? state.user(user) : null;
    },
    expireTokens: () => world.tokens.expireAll(),
    onWebhook: (handler) => events.subscribe(handler),
    forwardWebhooks(url, forwardOptions = {}) {
      // One delivery at a time, in emission order, as a single GitHub hook delivers.
      let queue: Promise<unknown> = Promise.resolve();
      return events.subscribe((event) => {
        if (forwardOptions.events && !forwardOptions.events.includes(event.name)) return;
        const delivery = queue.then(async () => {
          const result = await deliverWebhook({ url, secret: app.webhookSecret, event: event.name, payload: event.payload, id: event.id, appId: app.id });
          const action = event.payload["action"];
          deliveries.push({ url, event: event.name, action: typeof action === "string" ? action : null, id: event.id, status: result.status });
          if (result.status >= 400) throw new Error(`simulator: ${event.name} delivery to ${url} answered ${result.status}: ${result.body}`);
        });
        queue = delivery.catch(() => undefined);
        return delivery;
      });
    },
    settleWebhooks: () => events.settle(),
    async close() {
      ci.close();
      await events.settle();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
