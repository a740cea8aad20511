import type { AutoParseableResponseFormat, AutoParseableTextFormat } from "openai/lib/parser";
import { OutputSchema, REVIEW_FORMAT_NAME, type ParsedOutput } from "./output-schema.js";
import { structuredResponseFormat, structuredTextFormat } from "./structured-output.js";

/**
 * The reviewer's structured-output formats, sent to the SDK's `parse()`
 * methods: OutputSchema through the shared strict, never-throwing parser.
 */

/** For the Responses API (`text.format`). */
export function reviewTextFormat(): AutoParseableTextFormat<ParsedOutput> {
  return structuredTextFormat(OutputSchema, REVIEW_FORMAT_NAME);
}

/** For Chat Completions (`response_format`). */
export function reviewResponseFormat(): AutoParseableResponseFormat<ParsedOutput> {
  return structuredResponseFormat(OutputSchema, REVIEW_FORMAT_NAME);
}
