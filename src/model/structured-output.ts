import { z } from "zod";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { makeParseableResponseFormat, makeParseableTextFormat, type AutoParseableResponseFormat, type AutoParseableTextFormat } from "openai/lib/parser";
import type { OutputMode } from "../config/model-profile.js";

/**
 * Strict structured output for any zod schema: the JSON schema is the SDK's
 * own translation, the parser is ours and never throws, so an unusable answer
 * reaches the caller with its text and token usage instead of as an exception
 * from inside the SDK.
 */

/**
 * The outcome of reading the model's text. `error` completes the sentence
 * "the answer …"; a failed parse keeps the text for a repair request.
 */
export type Parsed<T> = { readonly ok: true; readonly output: T } | { readonly ok: false; readonly error: string; readonly text: string };

const MAX_ERROR_CHARS = 2_000;

export function parseStructured<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `is not valid JSON: ${(error as Error).message}`, text };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    return { ok: false, error: `does not match the schema:\n${z.prettifyError(result.error)}`.slice(0, MAX_ERROR_CHARS), text };
  }
  return { ok: true, output: result.data };
}

/** For the Responses API (`text.format`). */
export function structuredTextFormat<T>(schema: z.ZodType<T>, name: string): AutoParseableTextFormat<Parsed<T>> {
  return makeParseableTextFormat(zodTextFormat(schema, name), (text) => parseStructured(schema, text));
}

/** For Chat Completions (`response_format`). */
export function structuredResponseFormat<T>(schema: z.ZodType<T>, name: string): AutoParseableResponseFormat<Parsed<T>> {
  return makeParseableResponseFormat(zodResponseFormat(schema, name), (text) => parseStructured(schema, text));
}

/**
 * How a Chat Completions call asks for its answer and reads it, by output mode
 * (config/model-profile.ts): with a strict schema the server enforces it; in
 * JSON mode and plain text the schema travels in the instructions and the
 * answer is dug out of whatever the model wrote around it, then checked
 * against the schema like any other (an answer that fails gets the caller's
 * one repair request).
 */
export interface ChatOutput<T> {
  readonly responseFormat: AutoParseableResponseFormat<Parsed<T>> | { readonly type: "json_object" } | undefined;
  /** Appended to the instructions when the server does not enforce the schema; null when it does. */
  readonly instructions: string | null;
  parse(text: string): Parsed<T>;
}

export function chatOutput<T>(schema: z.ZodType<T>, name: string, mode: OutputMode): ChatOutput<T> {
  if (mode === "strict") {
    const format = structuredResponseFormat(schema, name);
    return { responseFormat: format, instructions: null, parse: (text) => format.$parseRaw(text) };
  }
  return {
    responseFormat: mode === "json" ? { type: "json_object" } : undefined,
    instructions: schemaInstructions(schema, name),
    parse: (text) => parseLenient(schema, text),
  };
}

/** The schema as the model reads it when the server does not enforce it (JSON mode also needs the word JSON in the messages). */
export function schemaInstructions<T>(schema: z.ZodType<T>, name: string): string {
  const jsonSchema = zodResponseFormat(schema, name).json_schema.schema;
  return [
    `# Answer format`,
    `Answer with one JSON object and nothing else: no prose before or after it, no code fences. The object is named "${name}" and must match this JSON Schema exactly, every property present (null where a value does not apply):`,
    JSON.stringify(jsonSchema),
  ].join("\n");
}

/** Parses the JSON object inside `text` (see `extractJson`) against `schema`. */
export function parseLenient<T>(schema: z.ZodType<T>, text: string): Parsed<T> {
  const results = jsonCandidates(text).map((json) => parseStructured(schema, json));
  const first = results.find((r) => r.ok) ?? results[0];
  if (first === undefined) return { ok: false, error: "contains no JSON object", text };
  // The repair request echoes what the model wrote, not the part that was cut out of it.
  return first.ok ? first : { ...first, text };
}

/** Objects tried per answer: hostile text with many stray braces must not make the search quadratic. */
const MAX_CANDIDATES = 16;
const FENCE = "```";

/**
 * The JSON object a model wrote among other text, or null: reasoning in a
 * leading `<think>` block is dropped (also the unopened form DeepSeek-R1
 * writes, which starts without `<think>`), a fenced ```json block is
 * preferred, otherwise the first balanced `{…}` that parses as JSON. Pure;
 * every search goes forward only, and the tries are bounded.
 */
export function extractJson(text: string): string | null {
  return jsonCandidates(text)[0] ?? null;
}

/** The object after the thinking first; should that cut be wrong (an answer quoting `</think>` in a string), the whole text's too. */
function jsonCandidates(text: string): string[] {
  const lower = text.trimStart().slice(0, 7).toLowerCase();
  // Thinking that never closed (cut off, or a model that did not finish): any object in it is a draft, not the answer.
  if (lower === "<think>" && !text.toLowerCase().includes("</think>")) return [];
  const answer = afterThinking(text);
  const found = [answer === text ? null : firstObject(answer), firstObject(text)];
  return [...new Set(found.filter((c): c is string => c !== null))];
}

function firstObject(text: string): string | null {
  for (const inner of fenced(text).slice(0, MAX_CANDIDATES)) {
    if (inner.startsWith("{") && parses(inner)) return inner;
  }
  let from = 0;
  for (let tried = 0; tried < MAX_CANDIDATES; tried++) {
    const start = text.indexOf("{", from);
    if (start < 0) return null;
    const end = balancedEnd(text, start);
    if (end !== null) {
      const candidate = text.slice(start, end + 1);
      if (parses(candidate)) return candidate;
    }
    from = start + 1;
  }
  return null;
}

/** The text after the first `</think>` when the text opens with thinking (`<think>…`, or no opening tag at all); else the text. */
function afterThinking(text: string): string {
  const lower = text.toLowerCase();
  const close = lower.indexOf("</think>");
  if (close < 0) return text;
  const open = lower.indexOf("<think>");
  const opensWithThinking = open >= 0 && open < close ? lower.slice(0, open).trim() === "" : true;
  return opensWithThinking ? text.slice(close + "</think>".length) : text;
}

/** The bodies of ``` fences, in order (the info string on the opening line, e.g. `json`, dropped). */
function fenced(text: string): string[] {
  const bodies: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf(FENCE, from);
    if (open < 0) return bodies;
    const lineEnd = text.indexOf("\n", open);
    if (lineEnd < 0) return bodies;
    const close = text.indexOf(FENCE, lineEnd);
    if (close < 0) return bodies;
    bodies.push(text.slice(lineEnd + 1, close).trim());
    from = close + FENCE.length;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Index of the `}` that closes the object opened at `start` (strings and escapes respected), or null. */
function balancedEnd(text: string, start: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return null;
}
