import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy between Longview and the GitHub simulator that passes every
 * request through, except one it can be told to intercept: that request
 * reaches GitHub and is applied, then the proxy runs a hook (e.g. kills the
 * Longview process that sent it) and drops the connection, so the sender
 * never learns the answer — "the worker died right after GitHub did it".
 */

export interface Interception {
  readonly method: string;
  /** The path as sent (`/api/v3/...`, URL-encoded as the client encoded it). */
  readonly path: string;
  /** Runs once GitHub has answered (with that answer's status), before the connection is dropped. */
  readonly afterApplied: (status: number) => Promise<void>;
}

export interface PassThroughProxy {
  /** `127.0.0.1:port`, for `GHE_HOST`. */
  readonly host: string;
  /** Intercepts the next request that matches; the ones after it pass through. */
  interceptOnce(interception: Interception): void;
  close(): Promise<void>;
}

export async function startPassThroughProxy(target: { readonly hostname: string; readonly port: number }): Promise<PassThroughProxy> {
  let pending: Interception | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const intercepted = pending !== null && pending.method === req.method && pending.path === req.url ? pending : null;
      if (intercepted) pending = null;
      forward(target, req, body, (upstream, answer) => {
        if (!intercepted) {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers).end(answer);
          return;
        }
        intercepted.afterApplied(upstream.statusCode ?? 0).finally(() => req.socket.destroy());
      }).catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    interceptOnce(interception) {
      pending = interception;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  target: { readonly hostname: string; readonly port: number },
  req: IncomingMessage,
  body: Buffer,
  onAnswer: (upstream: IncomingMessage, answer: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `${target.hostname}:${target.port}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          onAnswer(response, Buffer.concat(chunks));
          resolve();
        });
        response.on("error", reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}
