/** Public records the simulator exposes to tests. */

export interface Violation {
  /**
   * What failed GitHub's OpenAPI description: a client's request, the simulator's
   * own response, or a webhook payload it built; "crash" is a route that threw.
   */
  readonly kind: "request" | "response" | "webhook" | "crash";
  readonly method: string;
  /** OpenAPI template or webhook name. */
  readonly route: string;
  readonly status?: number;
  readonly problems: readonly string[];
}

export interface RequestLogEntry {
  readonly method: string;
  /** Path as requested (with query, without the /api/v3 prefix). */
  readonly path: string;
  /** Matched OpenAPI template; null when nothing matched. */
  readonly route: string | null;
  readonly status: number;
  /** When the request arrived (epoch milliseconds). */
  readonly receivedAt: number;
  readonly durationMs: number;
  /** GitHub's error message for 4xx/5xx answers. */
  readonly error?: string;
  /** True when an injected fault answered. */
  readonly fault?: boolean;
  /** True when the request took effect before the fault answered (`when: "after"`). */
  readonly applied?: boolean;
}

/** A webhook the simulator would send: event name, delivery id and payload. */
export interface SimulatorEvent {
  readonly name: string;
  readonly id: string;
  readonly payload: Record<string, unknown>;
}

/** A webhook `forwardWebhooks` delivered over HTTP, and the receiver's answer. */
export interface WebhookDelivery {
  readonly url: string;
  readonly event: string;
  readonly action: string | null;
  readonly id: string;
  readonly status: number;
}

export type WebhookHandler = (event: SimulatorEvent) => void | Promise<void>;

export type RepoName = `${string}/${string}`;

export interface CommitInput {
  readonly message: string;
  /** path → content; null deletes the file. */
  readonly files: Readonly<Record<string, string | Buffer | null>>;
  readonly author?: { readonly name: string; readonly email: string };
  /** Executable or symlink modes for some of `files`. */
  readonly modes?: Readonly<Record<string, "100644" | "100755" | "120000">>;
}
