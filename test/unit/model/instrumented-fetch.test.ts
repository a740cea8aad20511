import { describe, expect, test } from "@jest/globals";
import { instrumentedFetch } from "../../../src/model/instrumented-fetch.js";

describe("instrumentedFetch", () => {
  test("counts every attempt and passes the answer through", async () => {
    let attempts = 0;
    const answer = new Response("ok");
    const wrapped = instrumentedFetch(
      async () => answer,
      () => attempts++,
    );
    expect(await wrapped("https://example.test/a")).toBe(answer);
    await wrapped("https://example.test/b");
    expect(attempts).toBe(2);
  });

  test("turns a foreign abort error (not instanceof Error) into a local Error named AbortError", async () => {
    const foreign = { name: "AbortError", message: "This operation was aborted" };
    const wrapped = instrumentedFetch(
      () => Promise.reject(foreign),
      () => undefined,
    );
    const error = await wrapped("https://example.test").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "AbortError", message: "This operation was aborted", cause: foreign });
  });

  test("leaves other errors untouched", async () => {
    const local = new TypeError("fetch failed");
    const other = { name: "SomethingElse" };
    await expect(
      instrumentedFetch(
        () => Promise.reject(local),
        () => undefined,
      )("https://example.test"),
    ).rejects.toBe(local);
    await expect(
      instrumentedFetch(
        () => Promise.reject(other),
        () => undefined,
      )("https://example.test"),
    ).rejects.toBe(other);
  });
});
