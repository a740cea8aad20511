/**
 * Kinds of problem that different sources name differently: an agent writes
 * "SQL injection in getUser", the analyzer reports `longview/sql-injection`,
 * secretlint and `longview/hardcoded-credentials` both find a committed
 * secret. Merging uses these to recognise one problem reported twice.
 */
interface ProblemFamily {
  readonly id: string;
  readonly rules: readonly string[];
  /** Matches a free-text title (an agent's) that describes this problem. */
  readonly title: RegExp;
}

const FAMILIES: readonly ProblemFamily[] = [
  { id: "sql-injection", rules: ["longview/sql-injection"], title: /\bsql\b/i },
  {
    id: "command-injection",
    rules: ["longview/command-injection", "security/detect-child-process"],
    title: /command injection|shell (?:injection|command)|\bexec(?:Sync)?\b|child_process/i,
  },
  {
    id: "code-injection",
    rules: ["longview/dynamic-code-execution", "security/detect-eval-with-expression"],
    title: /\beval\b|new Function|code (?:injection|execution)|runIn(?:This|New)?Context/i,
  },
  { id: "nosql-injection", rules: ["longview/nosql-where-injection"], title: /\$where|nosql|mongo/i },
  {
    id: "committed-secret",
    rules: ["longview/hardcoded-credentials", "@secretlint/"],
    title: /secret|credential|password|api[ _-]?key|\btoken\b|private key|hard-?coded/i,
  },
  { id: "open-redirect", rules: ["longview/open-redirect"], title: /redirect/i },
  { id: "tls-verification", rules: ["longview/tls-verification-disabled"], title: /\btls\b|certificate|rejectUnauthorized|\bssl\b|NODE_TLS/i },
  {
    id: "xss",
    rules: ["longview/unsafe-html-sink", "longview/ejs-unescaped-output", "longview/handlebars-unescaped-output", "security/detect-disable-mustache-escape"],
    title: /\bxss\b|cross-site|innerHTML|outerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|unescaped|html injection/i,
  },
  { id: "weak-password-hash", rules: ["longview/weak-password-hash"], title: /\bmd5\b|\bsha-?1\b|weak (?:password )?hash|password hash/i },
  {
    id: "insecure-random",
    rules: ["longview/insecure-random", "security/detect-pseudoRandomBytes"],
    title: /Math\.random|insecure random|predictable|not cryptographically/i,
  },
  { id: "n-plus-one", rules: ["longview/query-in-loop"], title: /N\+1|quer(?:y|ies) (?:in|inside) (?:a )?loop|per (?:item|element|iteration)/i },
  { id: "blocking-io", rules: ["longview/sync-io-in-handler"], title: /\w+Sync\b|blocks? the event loop|synchronous/i },
  { id: "quadratic-lookup", rules: ["longview/quadratic-lookup"], title: /quadratic|O\(n\^?2\)|O\(n²\)|linear (?:scan|search)/i },
  { id: "redos", rules: ["longview/unsafe-regex", "security/detect-unsafe-regex"], title: /redos|regular expression|\bregex|backtrack/i },
];

/** The family of an analyzer rule (a trailing `/` in the table matches every rule under that prefix). */
export function familyOfRule(ruleId: string): string | null {
  const family = FAMILIES.find((f) => f.rules.some((rule) => (rule.endsWith("/") ? ruleId.startsWith(rule) : ruleId === rule)));
  return family?.id ?? null;
}

/** Whether a free-text title describes a problem of the given family. */
export function titleMatchesFamily(title: string, familyId: string): boolean {
  return FAMILIES.find((f) => f.id === familyId)?.title.test(title) ?? false;
}
