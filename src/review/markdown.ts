/**
 * Markdown helpers for text Longview posts. Model and PR text is untrusted:
 * HTML comments (our hidden markers) and raw HTML are neutralised so nobody
 * can forge Longview's state or hide content from the reader.
 */

export function neutralizeUntrusted(text: string): string {
  return text
    .replace(/<!--/g, "&lt;!--")
    .replace(/-->/g, "--&gt;")
    .replace(/<(\/?)(script|style|iframe|img|details|summary|a|form|input|object|embed|svg)\b/gi, "&lt;$1$2");
}

/** A fenced block that the content cannot close: the fence is longer than any backtick run inside. */
export function fence(info: string, content: string): string {
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(Math.max(3, longestRun + 1));
  return `${ticks}${info}\n${content.replace(/\n$/, "")}\n${ticks}`;
}

export function inlineCode(text: string): string {
  const clean = text.replace(/\n/g, " ");
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

export function truncate(text: string, max: number, marker = "…"): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - marker.length)) + marker;
}
