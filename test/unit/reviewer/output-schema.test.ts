import { describe, expect, test } from "@jest/globals";
import { structuredResponseFormat, structuredTextFormat } from "../../../src/model/structured-output.js";
import { OutputSchema, REVIEW_FORMAT_NAME, parseModelOutput } from "../../../src/reviewer/output-schema.js";

/** The formats the model client sends for the reviewer (`client.structured(OutputSchema, REVIEW_FORMAT_NAME)`). */
const reviewTextFormat = () => structuredTextFormat(OutputSchema, REVIEW_FORMAT_NAME);
const reviewResponseFormat = () => structuredResponseFormat(OutputSchema, REVIEW_FORMAT_NAME);

describe("parseModelOutput", () => {
  test("accepts a complete answer", () => {
    const text = JSON.stringify({
      findings: [
        {
          path: "a.ts",
          line: 3,
          start_line: null,
          side: "RIGHT",
          quote: "x();",
          severity: "P1",
          category: "bug",
          title: "t",
          body: "b",
          suggestion: null,
          confidence: 0.5,
        },
      ],
      notes: [{ kind: "invariant", path: null, text: "ids are unique" }],
    });
    const result = parseModelOutput(text);
    expect(result.ok).toBe(true);
  });

  test("reports invalid JSON and schema mismatches as a readable problem, keeping the text", () => {
    const broken = parseModelOutput('{"findings": [');
    expect(broken).toMatchObject({ ok: false, text: '{"findings": [' });
    expect(!broken.ok && broken.error).toMatch(/^is not valid JSON: /);

    const wrong = parseModelOutput(JSON.stringify({ findings: [{ path: "a.ts", line: 1.5 }], notes: [] }));
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.error).toMatch(/^does not match the schema:/);
    expect(!wrong.ok && wrong.error).toContain("findings[0].line");
  });
});

describe("structured-output formats", () => {
  test("are strict JSON schemas named longview_review with nullable (not optional) fields", () => {
    const text = reviewTextFormat();
    const chat = reviewResponseFormat();
    expect(text).toMatchObject({ type: "json_schema", name: "longview_review", strict: true });
    expect(chat).toMatchObject({ type: "json_schema", json_schema: { name: "longview_review", strict: true } });
    const schema = text.schema as { properties: { findings: { items: { required: string[]; properties: Record<string, unknown> } } } };
    const item = schema.properties.findings.items;
    expect(item.required.sort()).toEqual(Object.keys(item.properties).sort());
    expect(item.properties["suggestion"]).toEqual(expect.objectContaining({ type: ["string", "null"] }));
  });

  test("their parser never throws", () => {
    expect(reviewTextFormat().$parseRaw("not json")).toMatchObject({ ok: false });
    expect(reviewResponseFormat().$parseRaw("{}")).toMatchObject({ ok: false });
  });
});
