import { describe, expect, test } from "@jest/globals";
import type { GitHub } from "../../../src/github/client.js";
import { GitHubError } from "../../../src/github/errors.js";
import { ACTIONS_BOT_LOGIN, tokenIdentity } from "../../../src/github/token-host.js";

/** Only `GET /user` is asked; anything else would be a bug. */
function gitHubAnswering(answer: () => Promise<unknown>): { gh: GitHub; calls: () => number } {
  let calls = 0;
  const gh = {
    rest: {
      users: {
        getAuthenticated: async () => {
          calls++;
          return { data: await answer() };
        },
      },
    },
  } as unknown as GitHub;
  return { gh, calls: () => calls };
}

const failure = (status: number) => () =>
  Promise.reject(new GitHubError(`GitHub answered ${status}`, status === 403 ? "forbidden" : "other", status, null, undefined));

describe("tokenIdentity", () => {
  test("a personal access token is its user, asked once", async () => {
    const { gh, calls } = gitHubAnswering(async () => ({ login: "alice", type: "User" }));
    const identity = tokenIdentity();
    expect(await identity.botLogin(gh)).toBe("alice");
    expect(await identity.botLogin(gh)).toBe("alice");
    expect(calls()).toBe(1);
  });

  test("an installation token may not read /user (403): GitHub Actions' token is github-actions[bot]", async () => {
    const { gh } = gitHubAnswering(failure(403));
    expect(await tokenIdentity().botLogin(gh)).toBe(ACTIONS_BOT_LOGIN);
  });

  test("a login given ahead is not asked of GitHub", async () => {
    const { gh, calls } = gitHubAnswering(failure(500));
    expect(await tokenIdentity("other-app[bot]").botLogin(gh)).toBe("other-app[bot]");
    expect(calls()).toBe(0);
  });

  test("a bad token fails, and the next call asks again", async () => {
    let status = 401;
    const { gh, calls } = gitHubAnswering(() => (status === 401 ? failure(401)() : Promise.resolve({ login: "bob" })));
    const identity = tokenIdentity();
    await expect(identity.botLogin(gh)).rejects.toThrow("401");
    status = 200;
    expect(await identity.botLogin(gh)).toBe("bob");
    expect(calls()).toBe(2);
  });
});
