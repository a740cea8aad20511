/**
 * Finding bodies are Markdown written for GitHub and may carry small HTML
 * (`<sub>` credit lines). Terminal and SARIF readers get plain text: the
 * HTML-only lines dropped, remaining tags removed.
 */
export function plainBody(body: string): string {
  return body
    .split("\n")
    .filter((line) => !/^\s*<sub>.*<\/sub>\s*$/.test(line))
    .map((line) => line.replace(/<\/?(sub|sup|b|i|em|strong|br|details|summary|code)\s*\/?>/gi, ""))
    .join("\n")
    .trim();
}
