import { describe, expect, test } from "@jest/globals";
import { Linter } from "eslint";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { checkSyntax } from "../../../src/fix/syntax-check.js";
import { createRedactor } from "../../../src/redact/index.js";

/**
 * Property: a secret in a string literal (JS, TS, JSON, YAML, .env) is
 * replaced by a placeholder and nothing else changes: the redacted text still
 * parses, and with the placeholder and the secret both marked it is the same
 * text. Secrets are random bodies in each provider's format, so quotes,
 * commas and brackets right after them are exercised.
 */

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const B64URL = `${ALNUM}_-`;

const chars = (alphabet: string, length: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: length, maxLength: length });
const token = (prefix: string, alphabet: string, length: number) =>
  chars(alphabet, length).map((body) => ({ secret: prefix + body, around: (s: string) => s }));

/** A secret and the text it sits in inside the literal (a URL around a password). */
interface Secret {
  readonly secret: string;
  readonly around: (secret: string) => string;
}

const secretArb: fc.Arbitrary<Secret> = fc.oneof(
  token("sk_live_", ALNUM, 40),
  token("whsec_", ALNUM, 32),
  token("AIzaSy", B64URL, 33),
  token("GOCSPX-", B64URL, 28),
  token("xoxb-2048-4096-", ALNUM, 24),
  token("npm_", ALNUM, 36),
  token("pypi-AgEIcHlwaS5vcmc", B64URL, 60),
  token("glpat-", B64URL, 20),
  token("SK", HEX, 32),
  fc.tuple(chars(B64URL, 22), chars(B64URL, 43)).map(([a, b]) => ({ secret: `SG.${a}.${b}`, around: (s: string) => s })),
  token("shpat_", HEX, 32),
  token("dop_v1_", HEX, 64),
  token("dapi", HEX, 32),
  token("ghp_", ALNUM, 36),
  token("sk-proj-1", ALNUM, 40),
  fc.tuple(chars(B64URL, 20), chars(B64URL, 20), chars(B64URL, 30)).map(([a, b, c]) => ({ secret: `eyJ${a}.eyJ${b}.${c}`, around: (s: string) => s })),
  // A password in a connection string: only the password is secret.
  fc
    .tuple(fc.constantFrom("postgres", "postgresql", "mongodb", "mongodb+srv", "mysql", "redis", "amqp", "https"), chars(ALNUM, 10))
    .map(([scheme, body]) => ({ secret: `P4${body}!x`, around: (s: string) => `${scheme}://app_user:${s}@db.internal:5432/orders` })),
);

const MARK = "«secret»";
const PLACEHOLDERS = /\[REDACTED:[^\]\n]*\]/g;

/** The redacted text with placeholders marked equals the original with the secret marked: nothing else moved. */
function expectOnlySecretReplaced(original: string, redacted: string, secret: string): void {
  expect(redacted).not.toContain(secret);
  expect(redacted.replace(PLACEHOLDERS, MARK)).toBe(original.split(secret).join(MARK));
}

const linter = new Linter();
function expectJsParses(code: string): void {
  const fatal = linter.verify(code, { languageOptions: { ecmaVersion: "latest", sourceType: "module" } }).filter((m) => m.fatal);
  expect(fatal).toEqual([]);
}

/** Placeholders back to one marker, in parsed data. */
function marked(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(PLACEHOLDERS, MARK));
}

const quoteArb = fc.constantFrom('"', "'", "`");

describe("redaction keeps the code's syntax", () => {
  test("JavaScript: a secret in a string literal followed by a comma, a bracket or a semicolon", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, quoteArb, fc.constantFrom(", retries: 3 }", " }", "];", ")"), async ({ secret, around }, q, after) => {
        const open = after === "];" ? "[" : after === ")" ? "connect(" : "{ key: ";
        const code = `const x = ${open}${q}${around(secret)}${q}${after}\nexport default x;\n`;
        const redacted = await createRedactor().redactFile("src/config.js", code);
        expectJsParses(redacted);
        expectOnlySecretReplaced(code, redacted, secret);
      }),
      { numRuns: 150 },
    );
  });

  test("TypeScript", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, quoteArb, async ({ secret, around }, q) => {
        const code = `export const settings: Record<string, string> = {\n  url: ${q}${around(secret)}${q},\n  region: "eu-west-1",\n};\n`;
        const redacted = await createRedactor().redactFile("src/settings.ts", code);
        expect(await checkSyntax("src/settings.ts", redacted)).toMatchObject({ kind: "ok" });
        expectOnlySecretReplaced(code, redacted, secret);
      }),
      { numRuns: 60 },
    );
  });

  test("JSON: parses to the same data with the secret replaced", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, async ({ secret, around }) => {
        const data = { name: "svc", auth: { key: around(secret), list: [around(secret), 1] } };
        const text = JSON.stringify(data, null, 2);
        const redacted = await createRedactor().redactFile("config/app.json", text);
        expect(marked(JSON.parse(redacted))).toEqual(JSON.parse(JSON.stringify(data).split(secret).join(MARK)));
        expectOnlySecretReplaced(text, redacted, secret);
      }),
      { numRuns: 100 },
    );
  });

  test("YAML: quoted values parse to the same data; plain values still parse", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, fc.constantFrom('"', "'", ""), async ({ secret, around }, q) => {
        const text = `service:\n  key: ${q}${around(secret)}${q}\n  port: 8080 # the port\n`;
        const redacted = await createRedactor().redactFile("deploy/values.yaml", text);
        const parsed: unknown = parseYaml(redacted);
        if (q !== "") expect(marked(parsed)).toEqual({ service: { key: around(MARK), port: 8080 } });
        expectOnlySecretReplaced(text, redacted, secret);
      }),
      { numRuns: 100 },
    );
  });

  test(".env: every value is hidden, quotes and comments stay", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, fc.constantFrom('"', "'", ""), async ({ secret, around }, q) => {
        const text = `# service\nAPI_URL=${q}${around(secret)}${q} # prod\nexport PORT=8080\n`;
        const redacted = await createRedactor().redactFile("deploy/.env.production", text);
        expect(redacted).not.toContain(secret);
        // The secret's own kind where a token shape names it, `env-value` otherwise.
        expect(redacted.replace(/\[REDACTED:[a-z-]+\]/, "[REDACTED:kind]").split("\n")).toEqual([
          "# service",
          `API_URL=${q}[REDACTED:kind]${q} # prod`,
          "export PORT=[REDACTED:env-value]",
          "",
        ]);
      }),
      { numRuns: 60 },
    );
  });
});
