import { posix } from "node:path";

/**
 * Which changed files belong together: a test and the source it tests, and
 * imports between changed files (read from head content, or from the added
 * lines when there is none). Only relations between files of the pull request
 * matter, so everything resolves against its list of paths.
 */

export type RelationKind = "test" | "import" | "manifest";

export interface Relation {
  readonly from: string;
  readonly to: string;
  readonly kind: RelationKind;
}

/** Imports sit at the top; scanning further costs time and finds little. */
const IMPORT_SCAN_LINES = 400;

export function findRelations(paths: readonly string[], sourceText: (path: string) => string | null): Relation[] {
  const index = new PathIndex(paths);
  const relations: Relation[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, kind: RelationKind): void => {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    relations.push({ from, to, kind });
  };
  for (const path of paths) {
    const source = testSubject(path, index);
    if (source !== null) add(path, source, "test");
  }
  for (const path of paths) {
    const text = sourceText(path);
    if (text === null) continue;
    for (const target of importsOf(path, text, index)) add(path, target, "import");
  }
  return relations;
}

class PathIndex {
  /** Path without extension → paths ("src/a" → ["src/a.ts"]). */
  readonly byStem = new Map<string, string[]>();
  /** Dotted Python module suffixes ("pkg.mod", "mod") → paths. */
  readonly pythonModules = new Map<string, string[]>();
  /** Base name → paths, for Java classes and test subjects. */
  readonly byBaseStem = new Map<string, string[]>();
  /** Directory → Go files in it; last directory name → directories. */
  readonly goDirs = new Map<string, string[]>();
  readonly goDirsByName = new Map<string, string[]>();

  constructor(paths: readonly string[]) {
    for (const path of [...paths].sort()) {
      const stem = stripExtension(path);
      push(this.byStem, stem, path);
      push(this.byBaseStem, posix.basename(stem), path);
      if (path.endsWith(".py")) {
        const parts = (stem.endsWith("/__init__") ? stem.slice(0, -"/__init__".length) : stem).split("/");
        for (let i = 0; i < parts.length; i++) push(this.pythonModules, parts.slice(i).join("."), path);
      }
      if (path.endsWith(".go") && !path.endsWith("_test.go")) {
        const dir = posix.dirname(path);
        if (!this.goDirs.has(dir)) push(this.goDirsByName, posix.basename(dir), dir);
        push(this.goDirs, dir, path);
      }
    }
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const CODE_EXTENSION = /\.(tsx?|jsx?|mjs|cjs|mts|cts|py|go|java|kt|rb|rs|cs|php|swift|scala)$/;

function stripExtension(path: string): string {
  const m = CODE_EXTENSION.exec(path);
  return m ? path.slice(0, m.index) : path;
}

const TEST_PATTERNS: readonly RegExp[] = [
  /^(.+)\.(?:test|spec)\.[cm]?[jt]sx?$/,
  /^test_(.+)\.py$/,
  /^(.+)_test\.(?:py|go)$/,
  /^(.+?)Tests?\.(?:java|kt|cs)$/,
  /^(.+)_spec\.rb$/,
];

/** The source file a test file tests: same base name, nearest by directory. */
function testSubject(path: string, index: PathIndex): string | null {
  const base = posix.basename(path);
  let stem: string | null = null;
  for (const pattern of TEST_PATTERNS) {
    const m = pattern.exec(base);
    if (m?.[1]) {
      stem = m[1];
      break;
    }
  }
  if (stem === null && /(^|\/)__tests__\//.test(path)) stem = posix.basename(stripExtension(path));
  if (stem === null) return null;
  const candidates = (index.byBaseStem.get(stem) ?? []).filter((c) => c !== path && !isTestPath(c));
  let best: string | null = null;
  let bestShared = -1;
  for (const candidate of candidates) {
    const shared = sharedDirectories(path, candidate);
    if (shared > bestShared) {
      best = candidate;
      bestShared = shared;
    }
  }
  return best;
}

export function isTestPath(path: string): boolean {
  const base = posix.basename(path);
  return TEST_PATTERNS.some((p) => p.test(base)) || /(^|\/)(__tests__|tests?|spec|e2e)\//.test(path);
}

function sharedDirectories(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

const ECMA_IMPORT = /\b(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["']([^"']+)["']/g;
const PY_FROM = /^\s*from\s+(\.*)([\w.]*)\s+import\s+([\w., ()*]+)/;
const PY_IMPORT = /^\s*import\s+([\w., ]+)/;
const GO_IMPORT = /"([^"\s]+)"/g;
const JAVA_IMPORT = /^\s*import\s+(?:static\s+)?([\w.]+)\s*;/;

/** Lines of the file's head that can hold an import (Go import blocks included). */
const IMPORT_LINE = /^[^\n]*\b(?:import|require|from)\b[^\n]*$/gm;

function importsOf(path: string, text: string, index: PathIndex): string[] {
  const head = prefixLines(text, IMPORT_SCAN_LINES);
  const found: string[] = [];
  if (/\.[cm]?[jt]sx?$/.test(path)) {
    for (const [line] of head.matchAll(IMPORT_LINE)) {
      for (const m of line.matchAll(ECMA_IMPORT)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) found.push(...resolveRelative(path, spec, index));
      }
    }
  } else if (path.endsWith(".py")) {
    for (const [line] of head.matchAll(IMPORT_LINE)) found.push(...pythonImports(path, line, index));
  } else if (path.endsWith(".go")) {
    const block = /^import\s*\(([^)]*)\)/m.exec(head)?.[1] ?? "";
    const single = [...head.matchAll(/^import\s+(?:\w+\s+)?("[^"\n]+")/gm)].map((m) => m[1]!).join("\n");
    for (const m of `${block}\n${single}`.matchAll(GO_IMPORT)) found.push(...goPackageFiles(m[1]!, index));
  } else if (path.endsWith(".java")) {
    for (const [line] of head.matchAll(IMPORT_LINE)) {
      const m = JAVA_IMPORT.exec(line);
      if (!m?.[1]) continue;
      const parts = m[1].split(".");
      for (let take = parts.length; take >= parts.length - 1 && take > 0; take--) {
        const suffix = `${parts.slice(0, take).join("/")}.java`;
        const hits = (index.byBaseStem.get(parts[take - 1]!) ?? []).filter((p) => p.endsWith(`/${suffix}`) || p === suffix);
        if (hits.length > 0) {
          found.push(...hits);
          break;
        }
      }
    }
  }
  return found;
}

function prefixLines(text: string, max: number): string {
  let end = 0;
  for (let n = 0; n < max; n++) {
    const next = text.indexOf("\n", end);
    if (next === -1) return text;
    end = next + 1;
  }
  return text.slice(0, end);
}

function resolveRelative(path: string, spec: string, index: PathIndex): string[] {
  const target = stripExtension(posix.normalize(posix.join(posix.dirname(path), spec)));
  return index.byStem.get(target) ?? index.byStem.get(`${target}/index`) ?? [];
}

function pythonImports(path: string, line: string, index: PathIndex): string[] {
  const from = PY_FROM.exec(line);
  if (from) {
    const dots = from[1]!.length;
    const module = from[2]!;
    const names = from[3]!
      .replace(/[()]/g, "")
      .split(",")
      .map((n) => n.trim().split(/\s+/)[0]!)
      .filter((n) => n !== "" && n !== "*");
    if (dots > 0) {
      let dir = posix.dirname(path);
      for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
      const base = module === "" ? dir : posix.join(dir, module.replace(/\./g, "/"));
      const direct = index.byStem.get(base) ?? index.byStem.get(`${base}/__init__`);
      if (direct) return direct;
      return names.flatMap((n) => index.byStem.get(posix.join(base, n)) ?? []);
    }
    return uniqueModule(module, index) ?? names.flatMap((n) => uniqueModule(`${module}.${n}`, index) ?? []);
  }
  const plain = PY_IMPORT.exec(line);
  if (!plain) return [];
  return plain[1]!.split(",").flatMap((part) => uniqueModule(part.trim().split(/\s+/)[0]!, index) ?? []);
}

/** An absolute module name, resolved only when it names exactly one changed file. */
function uniqueModule(module: string, index: PathIndex): string[] | null {
  const hits = index.pythonModules.get(module);
  return hits && hits.length === 1 ? hits : null;
}

/** A Go import names a package directory; its path ends with the directory's path in the repository. */
function goPackageFiles(importPath: string, index: PathIndex): string[] {
  const out: string[] = [];
  for (const dir of index.goDirsByName.get(posix.basename(importPath)) ?? []) {
    if (importPath === dir || importPath.endsWith(`/${dir}`)) out.push(...(index.goDirs.get(dir) ?? []).slice(0, 3));
  }
  return out;
}
