import type { GitHub } from "../github/client.js";
import type { GitHubHost } from "../github/host.js";
import type { JobIntake } from "../queue/queue.js";

/** What the webhook handlers need: a place to put jobs, and GitHub as the event's installation. */
export interface AppDeps {
  /** Where review and `/agent` command jobs go; handlers validate, enqueue and return. */
  readonly queue: JobIntake;
  /** GitHub as the installation of an event (its client: `context.octokit`). */
  readonly github: (octokit: GitHub) => GitHubHost;
}
