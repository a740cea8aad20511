import { z } from "zod";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { makeParseableResponseFormat, makeParseableTextFormat, type AutoParseableResponseFormat, type AutoParseableTextFormat } from "openai/lib/parser";

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
