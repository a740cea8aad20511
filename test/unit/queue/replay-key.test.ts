import { describe, expect, test } from "@jest/globals";
import { commentReplayKey, payloadReplayKey } from "../../../src/handlers/replay-key.js";
import { commandDeliveryKey } from "../../../src/queue/kinds/command.js";
import { replayKeyOf } from "../../../src/queue/kinds/pull-request-job.js";

describe("replay keys", () => {
  test("the same signed payload gives the same key whatever the delivery id; any change in it gives another", () => {
    const payload = { action: "opened", pull_request: { number: 1, head: { sha: "a".repeat(40) } } };
    const key = payloadReplayKey("pull_request", payload);
    expect(payloadReplayKey("pull_request", JSON.parse(JSON.stringify(payload)))).toBe(key);
    expect(payloadReplayKey("pull_request", { ...payload, action: "reopened" })).not.toBe(key);
    expect(payloadReplayKey("check_suite", payload)).not.toBe(key);
    expect(key).toMatch(/^pull_request:[0-9a-f]{64}$/);
  });

  test("a comment is one command; jobs without a replay key (older releases) fall back to their delivery", () => {
    const job = { deliveryId: "d-1", owner: "Acme", repo: "Widgets", pullNumber: 3 };
    expect(commandDeliveryKey({ ...job, replayKey: commentReplayKey("issue-comment", 42) })).toBe("command|issue-comment:42|acme/widgets#3");
    expect(commandDeliveryKey({ ...job, deliveryId: "d-2", replayKey: commentReplayKey("issue-comment", 42) })).toBe("command|issue-comment:42|acme/widgets#3");
    expect(replayKeyOf({ deliveryId: "d-1" })).toBe("d-1");
  });
});
