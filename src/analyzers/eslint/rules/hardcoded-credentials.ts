import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { assignedName, nameWords, staticString, type Node } from "../ast.js";

/** Name endings that hold a credential (`dbPassword`, `API_KEY`, `clientSecret`), compared on lower-cased words. */
const CREDENTIAL_ENDINGS: readonly (readonly string[])[] = [
  ["secret"],
  ["password"],
  ["passwd"],
  ["pwd"],
  ["passphrase"],
  ["token"],
  ["apikey"],
  ["api", "key"],
  ["private", "key"],
  ["privatekey"],
  ["secret", "key"],
  ["access", "key"],
  ["client", "secret"],
  ["auth", "key"],
];

/** Values that are obviously not a real credential. */
const PLACEHOLDER =
  /^(?:change[-_ ]?me|changeit|development|dev|local|default|password|passwd|secret|token|api[-_ ]?key|example|sample|dummy|fake|mock|test(?:ing)?|placeholder|todo|tbd|redacted|none|null|undefined|x+|\*+|\.+|-+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[^%]*%|\$[A-Z_][A-Z0-9_]*|your[-_ ].*|xxx.*|.*[-_]here)$/i;

/** Test files hold fake credentials by design; reporting them would be noise. */
const TEST_FILE = /(^|\/)(__tests__|__mocks__|test|tests|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/**
 * A string literal stored under a credential-like name. Environment lookups
 * (`process.env.X`, even with a `|| "default"`) are not literals and are not
 * reported; nor are empty strings, placeholders, env-variable names, URLs
 * without user info, paths and human-readable text.
 */
export const hardcodedCredentialsRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Credential stored in a string literal" } },
  create(context) {
    if (TEST_FILE.test(context.filename.replace(/\\/g, "/"))) return {};
    const check = (value: Node): void => {
      const name = assignedName(value);
      if (name === null || !isCredentialName(name)) return;
      const text = staticString(value);
      if (text === null || !looksLikeRealCredential(text, name)) return;
      context.report({ node: value as ESTree.Node, message: `Hard-coded credential in \`${name}\`` });
    };
    return {
      Literal(node: ESTree.Literal) {
        if (typeof node.value === "string") check(node as Node);
      },
      TemplateLiteral(node: ESTree.TemplateLiteral) {
        if (node.expressions.length === 0) check(node as Node);
      },
    };
  },
};

export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  return CREDENTIAL_ENDINGS.some((ending) => ending.length <= words.length && ending.every((word, i) => words[words.length - ending.length + i] === word));
}

export function looksLikeRealCredential(value: string, name: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 6 || /\s/.test(trimmed)) return false;
  if (PLACEHOLDER.test(trimmed)) return false;
  // Field names and env-variable names stored in constants: `PASSWORD_FIELD = "password"`, `TOKEN_ENV = "GITHUB_TOKEN"`.
  if (/^[A-Z][A-Z0-9_]*$/.test(trimmed)) return false;
  if (nameWords(trimmed).join("") === nameWords(name).join("")) return false;
  // Paths, URLs without credentials, i18n keys and header names.
  if (/^(?:\/|\.{1,2}\/)/.test(trimmed)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(trimmed)) return false;
  if (/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/i.test(trimmed)) return false;
  if (/^x-[a-z-]+$/i.test(trimmed)) return false;
  return true;
}
