import { describe, expect, test } from "@jest/globals";
import { parseReviewArgs } from "../../../src/cli/args.js";
import { UsageError } from "../../../src/cli/io.js";
import { apiUrlFor, GITHUB_API, parsePullTarget } from "../../../src/cli/pull-target.js";

describe("--pr values", () => {
  test("OWNER/REPO#N", () => {
    expect(parsePullTarget("acme/widgets#123")).toEqual({ owner: "acme", repo: "widgets", pullNumber: 123, enterpriseOrigin: null });
    expect(parsePullTarget("my-org/some.repo_x#7")).toMatchObject({ owner: "my-org", repo: "some.repo_x", pullNumber: 7 });
  });

  test("github.com URLs, with a tab of the page, a query or a fragment", () => {
    for (const url of [
      "https://github.com/acme/widgets/pull/123",
      "https://github.com/acme/widgets/pull/123/",
      "https://github.com/acme/widgets/pull/123/files",
      "https://github.com/acme/widgets/pull/123/files?diff=split#r456",
      "https://www.github.com/acme/widgets/pull/123",
    ]) {
      expect(parsePullTarget(url)).toEqual({ owner: "acme", repo: "widgets", pullNumber: 123, enterpriseOrigin: null });
    }
  });

  test("an Enterprise Server URL names its host; the API is HOST/api/v3 unless GITHUB_API_URL says otherwise", () => {
    const target = parsePullTarget("https://ghe.example.com/owner/repo/pull/5");
    expect(target).toEqual({ owner: "owner", repo: "repo", pullNumber: 5, enterpriseOrigin: "https://ghe.example.com" });
    expect(apiUrlFor(target, undefined)).toBe("https://ghe.example.com/api/v3");
    expect(apiUrlFor(target, "")).toBe("https://ghe.example.com/api/v3");
    expect(apiUrlFor(target, "https://api.ghe.example.com/v3/")).toBe("https://api.ghe.example.com/v3");
    expect(apiUrlFor(parsePullTarget("http://127.0.0.1:3000/a/b/pull/1"), undefined)).toBe("http://127.0.0.1:3000/api/v3");
  });

  test("github.com and OWNER/REPO#N use api.github.com, or GITHUB_API_URL", () => {
    expect(apiUrlFor(parsePullTarget("acme/w#1"), undefined)).toBe(GITHUB_API);
    expect(apiUrlFor(parsePullTarget("https://github.com/acme/w/pull/1"), undefined)).toBe(GITHUB_API);
    expect(apiUrlFor(parsePullTarget("acme/w#1"), "https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/api/v3");
    expect(() => apiUrlFor(parsePullTarget("acme/w#1"), "ftp://x")).toThrow(/invalid GITHUB_API_URL/);
  });

  test.each([
    ["acme/widgets", /expected OWNER\/REPO#N/],
    ["acme/widgets#0", /expected OWNER\/REPO#N/],
    ["acme/widgets#12x", /expected OWNER\/REPO#N/],
    ["-acme/widgets#1", /bad owner/],
    ["acme/..#1", /bad repository name/],
    ["acme/wid gets#1", /expected OWNER\/REPO#N/],
    ["https://github.com/acme/widgets/issues/1", /not a pull request URL/],
    ["https://github.com/acme/widgets", /not a pull request URL/],
    ["ftp://github.com/acme/widgets/pull/1", /not an http\(s\) URL/],
    ["https://user:pw@github.com/acme/widgets/pull/1", /credentials/],
    ["https://github.com/acme/widgets/pull/99999999999", /bad pull request number/],
  ])("%s is a usage error", (value, message) => {
    expect(() => parsePullTarget(value)).toThrow(UsageError);
    expect(() => parsePullTarget(value)).toThrow(message);
  });
});

describe("review --pr options", () => {
  const options = (args: string[]) => {
    const parsed = parseReviewArgs(args);
    if (parsed.help) throw new Error("help");
    return parsed.options;
  };

  test("--pr and --post", () => {
    expect(options(["--pr", "acme/w#3", "--post"])).toMatchObject({ pull: { owner: "acme", repo: "w", pullNumber: 3 }, post: true });
    expect(options(["--pr", "acme/w#3"])).toMatchObject({ post: false });
    expect(options([])).toMatchObject({ pull: undefined, post: false });
  });

  test("--post needs --pr; --pr excludes the local change's options", () => {
    expect(() => options(["--post"])).toThrow("--post posts a review on a pull request; it needs --pr");
    expect(() => options(["--pr", "acme/w#3", "--base", "main", "--config", "x.yml"])).toThrow(
      "--pr reviews a pull request on GitHub; it cannot be combined with --base, --config",
    );
    expect(() => options(["--pr", "acme/w#3", "--diff", "-"])).toThrow(UsageError);
    expect(() => options(["--pr", ""])).toThrow("--pr needs a value");
  });
});
