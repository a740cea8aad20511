/**
 * GitHub Actions reads a line of a step's output as a command when, after
 * leading whitespace, it starts with `::` (`::add-mask::`, `::set-output`,
 * `::stop-commands::`, …) or with the older `##[`. Whatever Longview prints
 * holds text from the pull request and the model, both hostile: such a line
 * must reach the log as text, never as a command. The runner splits lines at
 * `\n`, `\r\n` and a bare `\r`, so a `\r` inside a message starts a line too.
 */

/** Line breaks as the runner reads them (.NET `ReadLine`): `\r\n`, `\r`, `\n`. */
const LINE_BREAK = /\r\n|\r|\n/;
/** Leading characters the runner trims before looking for a command (and a few invisible ones more, to be safe). */
const LEADING_SPACE = /^[\s\u0085\u180e\u200b-\u200d\u2060\ufeff]*/u;
const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Every line that would start a workflow command, with a zero-width space put
 * between the two characters of its `::` or `##`: it reads the same in the
 * log and is no command. Line breaks come out as `\n`.
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => {
      const indent = LEADING_SPACE.exec(line)?.[0] ?? "";
      const rest = line.slice(indent.length);
      return rest.startsWith("::") || rest.startsWith("##[") ? `${indent}${rest[0]}${ZERO_WIDTH_SPACE}${rest.slice(1)}` : line;
    })
    .join("\n");
}

/** A command's message, escaped as the runner unescapes it (`%`, `\r`, `\n`): one line, whatever it holds. */
export function escapeCommandData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A command's property value: the message's escapes, and `:` and `,`, which end a property. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

export type AnnotationLevel = "notice" | "warning" | "error";

/** `::warning file=…,line=…,title=…::message`: an annotation on the run (and, with `file`, on the pull request's diff). */
export function workflowCommand(level: AnnotationLevel, message: string, properties: Readonly<Record<string, string | number>> = {}): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`)
    .join(",");
  return `::${level}${props ? ` ${props}` : ""}::${escapeCommandData(message)}\n`;
}

/**
 * Hostile text printed as a block the runner does not read for commands at
 * all (`::stop-commands::TOKEN` … `::TOKEN::`, with a token nobody can
 * guess), each line neutralised as well in case the block's end is forged.
 */
export function uninterpretedBlock(text: string, token: string): string {
  const body = neutralizeWorkflowCommands(text.endsWith("\n") ? text.slice(0, -1) : text);
  return `::stop-commands::${token}\n${body}\n::${token}::\n`;
}
