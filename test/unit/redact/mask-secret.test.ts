import { describe, expect, test } from "@jest/globals";
import { maskSecret } from "../../../src/redact/mask-secret.js";
import { kebabCase } from "../../../src/redact/secretlint-scan.js";

describe("maskSecret", () => {
  test("shows at most four leading characters", () => {
    expect(maskSecret("AKIAABCDEFGHIJKLMNOP")).toBe("AKIA…");
    expect(maskSecret("abcdefgh")).toBe("ab…");
    expect(maskSecret("short")).toBe("…");
    expect(maskSecret("")).toBe("…");
  });
});

describe("kebabCase", () => {
  test.each([
    ["AWSSecretAccessKey", "aws-secret-access-key"],
    ["GITHUB_TOKEN", "github-token"],
    ["PrivateKey", "private-key"],
    ["Npmrc_authToken", "npmrc-auth-token"],
  ])("%s → %s", (id, kebab) => {
    expect(kebabCase(id)).toBe(kebab);
  });
});
