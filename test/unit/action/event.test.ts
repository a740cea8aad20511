import { createRequire } from "node:module";
import { describe, expect, test } from "@jest/globals";
import { EventError, readActionEvent } from "../../../src/action/event.js";

/**
 * The workflow's event as the Action reads it: GitHub's own `pull_request`
 * payloads (@octokit/webhooks-examples), forks told apart, anything else
 * left alone with a reason, and a payload of the wrong shape refused.
 */

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
const pullRequestExamples = examples.find((e) => e.name === "pull_request")?.examples ?? [];

function example(action: string): Record<string, unknown> & { pull_request: Record<string, unknown> & { head: Record<string, unknown> } } {
  const found = pullRequestExamples.find((e) => e["action"] === action);
  if (!found) throw new Error(`no pull_request.${action} example`);
  return structuredClone(found) as never;
}

describe("readActionEvent", () => {
  test("pull_request.opened from GitHub: the pull request of the base repository, not a fork", () => {
    const payload = example("opened");
    const event = readActionEvent("pull_request", payload);
    const base = (payload.pull_request["base"] as { repo: { full_name: string } }).repo.full_name;
    expect(event).toEqual({
      kind: "review",
      ref: { owner: base.split("/")[0], repo: base.split("/")[1], pullNumber: payload.pull_request["number"] },
      headSha: payload.pull_request.head["sha"],
      previousSha: null,
      fork: false,
    });
  });

  test("synchronize carries the previous head (its unfinished run is superseded)", () => {
    const payload = { ...example("synchronize"), before: "c".repeat(40) };
    expect(readActionEvent("pull_request", payload)).toMatchObject({ kind: "review", previousSha: "c".repeat(40) });
  });

  test("a head in another repository, or in a deleted one, is a fork's under pull_request; pull_request_target has the base's token", () => {
    const payload = example("opened");
    payload.pull_request.head["repo"] = { full_name: "outsider/fork" };
    expect(readActionEvent("pull_request", payload)).toMatchObject({ kind: "review", fork: true });
    expect(readActionEvent("pull_request_target", payload)).toMatchObject({ kind: "review", fork: false });
    payload.pull_request.head["repo"] = null;
    expect(readActionEvent("pull_request", payload)).toMatchObject({ kind: "review", fork: true });
  });

  test("the base repository's name compared as GitHub does: case-insensitively", () => {
    const payload = example("opened");
    const base = (payload.pull_request["base"] as { repo: { full_name: string } }).repo.full_name;
    payload.pull_request.head["repo"] = { full_name: base.toUpperCase() };
    expect(readActionEvent("pull_request", payload)).toMatchObject({ fork: false });
  });

  test("activity types that do not call for a review, and other events, are left alone with a reason", () => {
    expect(readActionEvent("pull_request", example("closed"))).toEqual({
      kind: "ignored",
      reason: expect.stringContaining("pull_request.closed does not call"),
    });
    expect(readActionEvent("pull_request", example("labeled"))).toMatchObject({ kind: "ignored" });
    expect(readActionEvent("push", { ref: "refs/heads/main" })).toEqual({ kind: "ignored", reason: expect.stringContaining('ran on "push"') });
    expect(readActionEvent("x".repeat(10_000), {})).toMatchObject({ kind: "ignored" });
  });

  test("a pull request event of the wrong shape is refused, naming what is wrong", () => {
    const payload = example("opened");
    payload.pull_request.head["sha"] = "not a sha";
    expect(() => readActionEvent("pull_request", payload)).toThrow(EventError);
    expect(() => readActionEvent("pull_request", payload)).toThrow(/pull_request\.head\.sha/);
    for (const hostile of [null, "text", 42, [], { action: "opened" }, { action: "opened", number: 1, pull_request: { number: -1 } }]) {
      expect(() => readActionEvent("pull_request", hostile)).toThrow(EventError);
    }
    const traversal = example("opened");
    (traversal.pull_request["base"] as { repo: { full_name: string } }).repo.full_name = "../../etc/passwd";
    expect(() => readActionEvent("pull_request", traversal)).toThrow(EventError);
  });
});
