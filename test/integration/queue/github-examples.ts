import { createRequire } from "node:module";

/** Real webhook payloads from @octokit/webhooks-examples, with the installation GitHub Apps receive. */

const require = createRequire(import.meta.url);
interface Example {
  name: string;
  examples: (Record<string, unknown> & { action?: string })[];
}
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Example[];

export interface PullRequestPayload extends Record<string, unknown> {
  action: string;
  installation: { id: number };
  repository: { name: string; full_name: string; owner: { login: string } };
  pull_request: { number: number; head: { sha: string }; base: { sha: string }; [key: string]: unknown };
  sender: { login: string; type: string };
}

export function pullRequestOpened(installationId = 42): PullRequestPayload {
  const opened = examples.find((e) => e.name === "pull_request")?.examples.find((e) => e.action === "opened");
  if (!opened) throw new Error("no pull_request.opened example in @octokit/webhooks-examples");
  return structuredClone({ ...opened, installation: { id: installationId } }) as unknown as PullRequestPayload;
}
