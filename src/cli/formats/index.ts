import type { CliReport } from "../report.js";
import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export const OUTPUT_FORMATS = ["text", "json", "markdown", "sarif"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const FORMATTERS: Record<OutputFormat, (report: CliReport) => string> = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  sarif: formatSarif,
};

export function renderReport(format: OutputFormat, report: CliReport): string {
  return FORMATTERS[format](report);
}
