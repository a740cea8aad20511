import { describe, expect, test } from "@jest/globals";
import { CommandJobSchema } from "../../../src/queue/kinds/command.js";

/** How far a fix job's commit got, as the job carries it between attempts (and across releases). */

const sha = (c: string) => c.repeat(40);
const job = {
  kind: "command",
  installationId: 42,
  owner: "acme",
  repo: "widgets",
  pullNumber: 7,
  deliveryId: "d-1",
  source: { kind: "issue-comment", commentId: 800 },
  sender: "alice",
  command: { kind: "fix", instructions: "" },
  url: null,
};
const branch = { owner: "alice", repo: "widgets", name: "feature" };

describe("the fix commit saved on a command job", () => {
  test("committing: the branch it goes to is required, since a later attempt must read it", () => {
    const committing = { state: "committing", sha: sha("e"), previousHead: sha("a"), reply: "@alice Committed", branch };
    expect(CommandJobSchema.parse({ ...job, committed: committing })).toMatchObject({ committed: committing });
    const { branch: _dropped, ...withoutBranch } = committing;
    expect(CommandJobSchema.safeParse({ ...job, committed: withoutBranch }).success).toBe(false);
  });

  test("a job saved by a release before the state existed was committed", () => {
    const legacy = { sha: sha("e"), previousHead: sha("a"), reply: "@alice Committed" };
    expect(CommandJobSchema.parse({ ...job, committed: legacy })).toMatchObject({ committed: { ...legacy, state: "committed" } });
  });

  test("anything else is rejected", () => {
    expect(CommandJobSchema.safeParse({ ...job, committed: { state: "pushed", sha: sha("e"), previousHead: sha("a"), reply: "x", branch } }).success).toBe(
      false,
    );
    expect(CommandJobSchema.safeParse({ ...job, committed: { state: "committing", sha: "e", previousHead: sha("a"), reply: "x", branch } }).success).toBe(
      false,
    );
    expect(CommandJobSchema.safeParse({ ...job, committed: "committed" }).success).toBe(false);
  });
});
