import type { ESLint, Rule } from "eslint";
import { commandInjectionRule } from "./rules/command-injection.js";
import { dynamicCodeExecutionRule } from "./rules/dynamic-code-execution.js";
import { hardcodedCredentialsRule } from "./rules/hardcoded-credentials.js";
import { insecureRandomRule } from "./rules/insecure-random.js";
import { nosqlWhereInjectionRule } from "./rules/nosql-where-injection.js";
import { openRedirectRule } from "./rules/open-redirect.js";
import { pathTraversalRule } from "./rules/path-traversal.js";
import { quadraticLookupRule } from "./rules/quadratic-lookup.js";
import { queryInLoopRule } from "./rules/query-in-loop.js";
import { secretFallbackRule } from "./rules/secret-fallback.js";
import { sensitiveLogRule } from "./rules/sensitive-log.js";
import { sqlInjectionRule } from "./rules/sql-injection.js";
import { ssrfRule } from "./rules/ssrf.js";
import { syncIoInHandlerRule } from "./rules/sync-io-in-handler.js";
import { tlsVerificationDisabledRule } from "./rules/tls-verification-disabled.js";
import { unsafeHtmlSinkRule } from "./rules/unsafe-html-sink.js";
import { unsafeRegexRule } from "./rules/unsafe-regex.js";
import { weakPasswordHashRule } from "./rules/weak-password-hash.js";

/**
 * Longview's own vulnerability and performance rules, written as ESLint rules rather than a
 * separate scanner: ESLint already parses each file once (espree for JS,
 * typescript-estree for TS, both yielding ESTree), gives scope analysis for
 * following variables and imports, and runs every rule in the same
 * traversal, so the rules cost one extra visitor each and need no native
 * addon or second parser.
 */
export const LONGVIEW_PLUGIN_NAME = "longview";

export const longviewRules: Readonly<Record<string, Rule.RuleModule>> = {
  "sql-injection": sqlInjectionRule,
  "command-injection": commandInjectionRule,
  "dynamic-code-execution": dynamicCodeExecutionRule,
  "nosql-where-injection": nosqlWhereInjectionRule,
  "hardcoded-credentials": hardcodedCredentialsRule,
  "open-redirect": openRedirectRule,
  ssrf: ssrfRule,
  "path-traversal": pathTraversalRule,
  "secret-fallback": secretFallbackRule,
  "sensitive-log": sensitiveLogRule,
  "tls-verification-disabled": tlsVerificationDisabledRule,
  "unsafe-html-sink": unsafeHtmlSinkRule,
  "weak-password-hash": weakPasswordHashRule,
  "insecure-random": insecureRandomRule,
  "unsafe-regex": unsafeRegexRule,
  "query-in-loop": queryInLoopRule,
  "sync-io-in-handler": syncIoInHandlerRule,
  "quadratic-lookup": quadraticLookupRule,
};

export const longviewPlugin: ESLint.Plugin = {
  meta: { name: "longview" },
  rules: longviewRules,
};
