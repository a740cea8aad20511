import type { Relation } from "./relations.js";
import { isTestPath } from "./relations.js";

/**
 * Review order and grouping. Security-sensitive files come first, then other
 * source, then tests, docs and configuration; related files (a test and its
 * source, importer and imported) are grouped so they share a window when the
 * group fits one; within a class, paths sort so that a directory's files are
 * neighbours and tend to share windows too.
 */

export const FILE_CLASSES = ["security", "source", "test", "docs", "config"] as const;
export type FileClass = (typeof FILE_CLASSES)[number];

const SECURITY_PATH =
  /(^|[/_.-])(auth\w*|oauth\w*|login|logout|session\w*|crypto\w*|cipher|security|secrets?|passwords?|credentials?|tokens?|jwt|acl|permissions?|rbac|policy|policies|sql|queries|query|db|database|migrations?|routes?|router|controllers?|middlewares?|handlers?|api|server|gateway|proxy|cors|csrf|sanitiz\w*|validat\w*|upload\w*|payments?|billing)([/_.-]|$)/i;
const SERVER_CONFIG =
  /(^|\/)(Dockerfile[^/]*|docker-compose[^/]*\.ya?ml|nginx[^/]*\.conf|[^/]*\.conf|\.htaccess|Caddyfile|Procfile|[^/]*\.tf|[^/]*\.tfvars|\.github\/workflows\/[^/]+\.ya?ml|(k8s|kubernetes|helm|charts|deploy|deployment)\/[^/]+\.ya?ml|[^/]*\.env(\.[^/]*)?)$/i;
const DOCS = /(\.(md|mdx|rst|adoc|txt)$|(^|\/)(docs?|documentation)\/|(^|\/)(LICENSE|CHANGELOG|AUTHORS|NOTICE)[^/]*$)/i;
const CONFIG =
  /(\.(json|jsonc|ya?ml|toml|ini|cfg|conf|properties|lock|xml|plist|editorconfig|gitignore|gitattributes|npmrc|nvmrc|prettierrc|eslintrc|babelrc)$|(^|\/)\.[^/]+rc(\.[a-z]+)?$)/i;

export function classify(path: string): FileClass {
  if (isTestPath(path)) return "test";
  if (DOCS.test(path)) return "docs";
  if (SERVER_CONFIG.test(path)) return "security";
  if (CONFIG.test(path)) return "config";
  return SECURITY_PATH.test(path) ? "security" : "source";
}

export interface Groupable {
  readonly path: string;
  /** Tokens the file takes in a window; groups never grow beyond one window. */
  readonly tokens: number;
}

/** Groups of paths in review order. Every input path is in exactly one group. */
export function reviewGroups(files: readonly Groupable[], relations: readonly Relation[], windowCapacity: number): string[][] {
  const index = new Map(files.map((f, i) => [f.path, i]));
  const parent = files.map((_, i) => i);
  const size = files.map((f) => f.tokens);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const ordered = [...relations].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "test" ? -1 : 1) || compare(a.from, b.from) || compare(a.to, b.to));
  for (const relation of ordered) {
    const a = index.get(relation.from);
    const b = index.get(relation.to);
    if (a === undefined || b === undefined) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb || size[ra]! + size[rb]! > windowCapacity) continue;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent[child] = root;
    size[root] = size[root]! + size[child]!;
  }

  const classes = files.map((f) => FILE_CLASSES.indexOf(classify(f.path)));
  const groups = new Map<number, number[]>();
  files.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  });
  const byMember = (x: number, y: number): number => classes[x]! - classes[y]! || compare(files[x]!.path, files[y]!.path);
  const sorted = [...groups.values()].map((members) => members.sort(byMember));
  sorted.sort((x, y) => byMember(x[0]!, y[0]!));
  return sorted.map((members) => members.map((i) => files[i]!.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
