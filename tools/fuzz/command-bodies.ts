import fc from "fast-check";

/** Pull-request comment bodies: commands, near-commands, quotes, fences, huge and broken text. */

const PREFIXES = ["", " ", "   ", "    ", "\t", "> ", "```\n", "~~~\n", "\uFEFF", "\n\n", "\r\n", "`", "please ", "\u00a0", "\u2028"];
const NAMES = ["", "fix", "FIX", "review", "help", "deploy", "fix:", "fix!", "fix,", "Review.", "fixes", "x".repeat(100), "😀", "\u0000"];
const SEPARATORS = ["", " ", "\t", "  \t ", "\u00a0", "\u3000"];
const COMMANDS = ["/agent", "/AGENT", "/Agent", "/agents", "/agent-fix", "agent", "//agent", "/ agent"];

const line = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      " ".repeat(65_536) + "x",
      "x".repeat(70_000),
      "\t".repeat(30_000) + "y",
      "/agent fix " + " ".repeat(60_000) + "z",
      "\u2028".repeat(1_000),
    ),
  },
);

export const commandBodyArb: fc.Arbitrary<string> = fc
  .record({
    prefix: fc.constantFrom(...PREFIXES),
    command: fc.constantFrom(...COMMANDS),
    sep1: fc.constantFrom(...SEPARATORS),
    name: fc.constantFrom(...NAMES),
    sep2: fc.constantFrom(...SEPARATORS),
    rest: line,
    more: fc.array(line, { maxLength: 4 }),
    crlf: fc.boolean(),
  })
  .map(({ prefix, command, sep1, name, sep2, rest, more, crlf }) => [`${prefix}${command}${sep1}${name}${sep2}${rest}`, ...more].join(crlf ? "\r\n" : "\n"));

export const anyBodyArb: fc.Arbitrary<string> = fc.oneof(commandBodyArb, fc.string({ unit: "binary", maxLength: 200 }), line);
