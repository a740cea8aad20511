import { randomUUID } from "node:crypto";
import type { PullRecord, RepoRecord, UserRecord } from "./state.js";
import type { SimulatorEvent, WebhookHandler } from "./types.js";
import { pullRequestPayload } from "./webhook-payloads.js";
import type { World } from "./world.js";

/**
 * Follows branch moves: a pull request whose head branch moved gets the new
 * head sha and a `pull_request.synchronize` event. Events go to the handlers
 * tests subscribe, after the HTTP answer that caused them, as GitHub sends
 * webhooks asynchronously.
 */
/** Told of every branch move after its pull request events (the scripted CI starts its runs here). */
export type BranchMoveListener = (move: {
  readonly repo: RepoRecord;
  readonly branch: string;
  readonly before: string | null;
  readonly after: string;
  readonly sender: UserRecord;
}) => Promise<void>;

export type PullOpenedListener = (pull: PullRecord) => Promise<void>;

export class PullEvents {
  readonly #handlers = new Set<WebhookHandler>();
  readonly #moveListeners: BranchMoveListener[] = [];
  readonly #openListeners: PullOpenedListener[] = [];
  readonly #pending = new Set<Promise<void>>();
  /** Errors thrown by subscribed handlers (a test's delivery failing), kept so tests can assert on them. */
  readonly handlerErrors: unknown[] = [];

  subscribe(handler: WebhookHandler): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  emit(event: SimulatorEvent): void {
    for (const handler of this.#handlers) {
      const delivery = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => handler(event))
        .catch((error: unknown) => {
          this.handlerErrors.push(error);
        })
        .finally(() => this.#pending.delete(delivery));
      this.#pending.add(delivery);
    }
  }

  onBranchMoved(listener: BranchMoveListener): void {
    this.#moveListeners.push(listener);
  }

  onPullOpened(listener: PullOpenedListener): void {
    this.#openListeners.push(listener);
  }

  /** Call after a pull request was opened and its `opened` event emitted. */
  async pullOpened(pull: PullRecord): Promise<void> {
    for (const listener of this.#openListeners) await listener(pull);
  }

  /** Resolves when every event emitted so far has been handled. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** Call after `branch` of `repo` moved from `before` to `after`; returns the synchronize events emitted. */
  async branchMoved(world: World, repo: RepoRecord, branch: string, before: string | null, after: string, sender: UserRecord): Promise<SimulatorEvent[]> {
    repo.pushedAt = world.state.now();
    const events: SimulatorEvent[] = [];
    for (const pull of world.state.pulls) {
      if (pull.state !== "open" || pull.headRepo !== repo || pull.headRef !== branch || pull.headSha === after) continue;
      if (pull.repo !== repo) await pull.repo.git.updateRef(`refs/pull/${pull.number}/head`, after);
      const previous = pull.headSha;
      pull.headSha = after;
      pull.updatedAt = world.state.now();
      const payload = await pullRequestPayload(world, pull, "synchronize", sender, { before: before ?? previous, after });
      const event = { name: "pull_request", id: randomUUID(), payload };
      events.push(event);
      this.emit(event);
    }
    for (const listener of this.#moveListeners) await listener({ repo, branch, before, after, sender });
    return events;
  }
}
