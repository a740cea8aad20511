import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { AppRecord, SimState } from "./state.js";

/** The simulated GitHub App: id, slug, RSA key pair, webhook secret and its bot user. */

// RSA key generation costs a few hundred milliseconds; one key serves every simulator of a test process.
let sharedKey: KeyObject | null = null;

export function createAppIdentity(state: SimState, options: { appId?: number; appSlug?: string; privateKey?: string; webhookSecret?: string }): AppRecord {
  sharedKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const privateKey = options.privateKey ? createPrivateKey(options.privateKey) : sharedKey;
  const slug = options.appSlug ?? "longview";
  return {
    id: options.appId ?? 424242,
    slug,
    name: slug,
    clientId: `Iv1.${randomBytes(8).toString("hex")}`,
    owner: state.user(`${slug}-developers`, "Organization"),
    bot: state.user(`${slug}[bot]`, "Bot"),
    publicKey: createPublicKey(privateKey),
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    webhookSecret: options.webhookSecret ?? randomBytes(20).toString("hex"),
    createdAt: state.now(),
    permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write" },
    events: ["pull_request", "issue_comment", "pull_request_review_comment", "check_run"],
  };
}
