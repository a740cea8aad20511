import { describe, expect, test } from "@jest/globals";
import { executeGraphql, GqlFieldError, type GqlObject } from "../../tools/github-simulator/graphql/execute.js";
import { GraphqlSyntaxError, parseGraphql } from "../../tools/github-simulator/graphql/parse.js";
import { paginate } from "../../tools/github-simulator/paginate.js";

describe("paginate", () => {
  const items = Array.from({ length: 45 }, (_, i) => i);
  const base = "http://h/api/v3/repos/o/r/pulls/1/files";

  test("defaults to 30 per page and links next and last", () => {
    const page = paginate(items, new URLSearchParams(), base);
    expect(page.items).toHaveLength(30);
    expect(page.headers["link"]).toBe(`<${base}?per_page=30&page=2>; rel="next", <${base}?per_page=30&page=2>; rel="last"`);
  });

  test("a middle page links all four, keeps other query parameters, and per_page is capped at 100", () => {
    const page = paginate(items, new URLSearchParams({ per_page: "10", page: "2", sort: "created" }), base);
    expect(page.items).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(page.headers["link"]?.split(", ").map((l) => /rel="(\w+)"/.exec(l)?.[1])).toEqual(["prev", "next", "last", "first"]);
    expect(page.headers["link"]).toContain("sort=created");
    expect(paginate(Array.from({ length: 300 }), new URLSearchParams({ per_page: "1000" }), base).items).toHaveLength(100);
  });

  test("a single page has no Link header; pages past the end are empty", () => {
    expect(paginate([1, 2], new URLSearchParams(), base).headers).toEqual({});
    expect(paginate(items, new URLSearchParams({ page: "9" }), base).items).toEqual([]);
  });
});

describe("GraphQL reader and executor", () => {
  const root: GqlObject = {
    typename: "Query",
    fields: {
      greeting: (args) => `hello ${String(args["name"])}`,
      list: () => [1, 2].map((n) => ({ typename: "Item", fields: { n: () => n } })),
      broken: () => {
        throw new GqlFieldError("nope", "NOT_FOUND");
      },
    },
  };
  const roots = { query: root, mutation: { typename: "Mutation", fields: {} } };

  test("variables, aliases, fragments, inline fragments and @skip", async () => {
    const document = parseGraphql(`
      # a comment
      query Q($who: String = "world", $hide: Boolean!) {
        a: greeting(name: $who)
        b: greeting(name: "you") @skip(if: $hide)
        list { ...ItemFields ... on Item { __typename } }
      }
      fragment ItemFields on Item { n }`);
    const result = await executeGraphql(document, roots, { hide: true }, null);
    expect(result).toEqual({
      data: {
        a: "hello world",
        list: [
          { n: 1, __typename: "Item" },
          { n: 2, __typename: "Item" },
        ],
      },
    });
  });

  test("field errors null the field and are listed; unknown fields fail validation without data", async () => {
    expect(await executeGraphql(parseGraphql("{ broken greeting(name: 1) }"), roots, {}, null)).toEqual({
      data: { broken: null, greeting: "hello 1" },
      errors: [{ type: "NOT_FOUND", path: ["broken"], message: "nope" }],
    });
    const invalid = await executeGraphql(parseGraphql("{ missing }"), roots, {}, null);
    expect(invalid.data).toBeUndefined();
    expect(invalid.errors?.[0]?.message).toBe("Field 'missing' doesn't exist on type 'Query'");
  });

  test("syntax errors are reported as such", () => {
    expect(() => parseGraphql("{ greeting(")).toThrow(GraphqlSyntaxError);
    expect(() => parseGraphql("subscription { x }")).toThrow(GraphqlSyntaxError);
  });
});
