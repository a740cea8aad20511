import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { sign } from "@octokit/webhooks-methods";

/**
 * Delivers a webhook the way GitHub does: a JSON POST with the event name,
 * a delivery id and the `x-hub-signature-256` HMAC of the exact body.
 *
 * Uses node:http rather than fetch: under jest our nock 15.0.0 intercepts
 * fetch and loses the body of requests it lets through ("TypeError: unusable").
 */

export interface DeliverWebhookInput {
  readonly url: string;
  readonly secret: string;
  /** Event name, e.g. "pull_request" (the action lives in the payload). */
  readonly event: string;
  readonly payload: unknown;
  readonly id?: string;
  /** GitHub App id, sent as the hook's installation target. */
  readonly appId?: number;
  /** Overrides the signature header (tests of rejected deliveries); null sends none. */
  readonly signature?: string | null;
}

export interface DeliveryResult {
  readonly id: string;
  readonly status: number;
  readonly body: string;
}

export async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult> {
  const id = input.id ?? randomUUID();
  const body = JSON.stringify(input.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "GitHub-Hookshot/simulator",
    "x-github-event": input.event,
    "x-github-delivery": id,
  };
  const signature = input.signature === undefined ? await sign(input.secret, body) : input.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  if (input.appId !== undefined) {
    headers["x-github-hook-installation-target-type"] = "integration";
    headers["x-github-hook-installation-target-id"] = String(input.appId);
  }
  const { status, text } = await post(new URL(input.url), headers, body);
  return { id, status, body: text };
}

function post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
