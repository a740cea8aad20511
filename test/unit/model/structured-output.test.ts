import { describe, expect, test } from "@jest/globals";
import { z } from "zod";
import { chatOutput, extractJson, parseLenient } from "../../../src/model/structured-output.js";

const Schema = z.object({ findings: z.array(z.object({ title: z.string() })), notes: z.array(z.string()) });
const ANSWER = { findings: [{ title: 'a } brace and a " quote in a string' }], notes: [] };
const JSON_TEXT = JSON.stringify(ANSWER);

describe("extractJson: the object among what a model wrote around it", () => {
  test.each([
    ["bare", JSON_TEXT],
    ["padded with blank lines", `\n\n${JSON_TEXT}\n`],
    ["in a json fence", "```json\n" + JSON.stringify(ANSWER, null, 2) + "\n```"],
    ["in a bare fence after prose", "Here is the review:\n\n```\n" + JSON_TEXT + "\n```\nHope this helps."],
    ["after leading prose, before trailing text", `Sure! The answer is ${JSON_TEXT} — let me know {if} you need more.`],
    ["after a <think> block", `<think>\nI should check {the caller} first.\n</think>\n\n${JSON_TEXT}`],
    ["after unopened thinking (DeepSeek-R1)", `The caller passes {token, user}.\n</think>\n\n${JSON_TEXT}`],
    ["after thinking, fenced", `<think>hmm</think>\nReview:\n\`\`\`json\n${JSON_TEXT}\n\`\`\``],
  ])("%s", (_name, text) => {
    expect(JSON.parse(extractJson(text) ?? "null")).toEqual(ANSWER);
  });

  test("an answer that quotes </think> in a string is still read whole", () => {
    const quoting = { findings: [{ title: "the template closes </think> too early" }], notes: [] };
    expect(parseLenient(Schema, JSON.stringify(quoting))).toEqual({ ok: true, output: quoting });
  });

  test("no object: null; an unclosed thinking block is not an answer", () => {
    expect(extractJson("I could not review this.")).toBeNull();
    expect(extractJson("{ not json at all")).toBeNull();
    expect(extractJson(`<think>maybe ${JSON_TEXT}`)).toBeNull();
  });

  test("hostile text with many stray braces and fences stays fast", () => {
    const hostile = "{".repeat(200_000) + "```\n".repeat(20_000) + "<think>".repeat(10_000);
    const started = performance.now();
    expect(extractJson(hostile)).toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("parseLenient", () => {
  test("checks the schema; a failure keeps what the model wrote, for the repair request", () => {
    const text = `Here you go: ${JSON.stringify({ findings: [] })}`;
    const parsed = parseLenient(Schema, text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(/does not match the schema[\s\S]*notes/);
      expect(parsed.text).toBe(text);
    }
    expect(parseLenient(Schema, "nothing")).toEqual({ ok: false, error: "contains no JSON object", text: "nothing" });
  });
});

describe("chatOutput by output mode", () => {
  test("strict: the schema as response_format, parsed exactly", () => {
    const out = chatOutput(Schema, "longview_test", "strict");
    expect(out.responseFormat).toMatchObject({ type: "json_schema", json_schema: { name: "longview_test", strict: true } });
    expect(out.instructions).toBeNull();
    // The server enforces the schema: text around it is a broken answer, not a quirk.
    expect(out.parse(`Sure: ${JSON_TEXT}`).ok).toBe(false);
  });

  test("json: JSON mode, the schema in the instructions, read leniently", () => {
    const out = chatOutput(Schema, "longview_test", "json");
    expect(out.responseFormat).toEqual({ type: "json_object" });
    expect(out.instructions).toContain('The object is named "longview_test"');
    expect(out.instructions).toContain('"findings"');
    expect(out.parse(`\n${JSON_TEXT}\n`)).toEqual({ ok: true, output: ANSWER });
  });

  test("text: no response format at all", () => {
    const out = chatOutput(Schema, "longview_test", "text");
    expect(out.responseFormat).toBeUndefined();
    expect(out.parse("```json\n" + JSON_TEXT + "\n```")).toEqual({ ok: true, output: ANSWER });
  });
});
