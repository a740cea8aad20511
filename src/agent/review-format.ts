import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import {
  makeParseableResponseFormat,
  makeParseableTextFormat,
  type AutoParseableResponseFormat,
  type AutoParseableTextFormat,
} from "openai/lib/parser";
import { OutputSchema, REVIEW_FORMAT_NAME, parseModelOutput, type ParsedOutput } from "./output-schema.js";

/**
 * The structured-output formats sent to the SDK's `parse()` methods. The JSON
 * schema is the SDK's own translation of OutputSchema; the parser is ours and
 * never throws, so an invalid answer reaches the reviewer with its text and
 * token usage instead of as an exception from inside the SDK.
 */

/** For the Responses API (`text.format`). */
export function reviewTextFormat(): AutoParseableTextFormat<ParsedOutput> {
  return makeParseableTextFormat(zodTextFormat(OutputSchema, REVIEW_FORMAT_NAME), parseModelOutput);
}

/** For Chat Completions (`response_format`). */
export function reviewResponseFormat(): AutoParseableResponseFormat<ParsedOutput> {
  return makeParseableResponseFormat(zodResponseFormat(OutputSchema, REVIEW_FORMAT_NAME), parseModelOutput);
}
