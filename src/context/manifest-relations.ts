import { posix } from "node:path";
import type { Relation } from "./relations.js";

/**
 * A dependency manifest (package.json, pyproject.toml, requirements*.txt,
 * go.mod, Cargo.toml) and the changed code that imports a dependency the
 * manifest adds belong together: the reviewer sees the new dependency beside
 * its use. Only added lines count on both sides (a new dependency, a new
 * use), and a manifest speaks for the code under its own directory.
 */

export interface AddedLines {
  readonly path: string;
  readonly added: readonly string[];
}

type Ecosystem = "npm" | "python" | "go" | "rust";

/** A manifest relates to at most this many files; beyond that the dependency is everywhere and says little. */
const MAX_RELATED_PER_MANIFEST = 40;
/** Lines read per file: manifests and import blocks are short; a huge hunk is not scanned whole. */
const MAX_SCANNED_LINES = 2_000;
const MAX_LINE_CHARS = 500;

export function manifestRelations(files: readonly AddedLines[]): Relation[] {
  const manifests = files.flatMap((f) => {
    const ecosystem = manifestEcosystem(f.path);
    if (ecosystem === null) return [];
    const deps = newDependencies(ecosystem, f.added);
    return deps.size === 0 ? [] : [{ path: f.path, dir: posix.dirname(f.path), ecosystem, deps }];
  });
  if (manifests.length === 0) return [];
  const relations: Relation[] = [];
  const importsByFile = new Map<string, Set<string>>();
  for (const manifest of manifests) {
    let related = 0;
    for (const file of files) {
      if (related >= MAX_RELATED_PER_MANIFEST) break;
      if (file.path === manifest.path || manifestEcosystem(file.path) !== null) continue;
      if (manifest.dir !== "." && !file.path.startsWith(`${manifest.dir}/`)) continue;
      const ecosystem = codeEcosystem(file.path);
      if (ecosystem !== manifest.ecosystem) continue;
      let imports = importsByFile.get(file.path);
      if (!imports) {
        imports = importedModules(ecosystem, file.added);
        importsByFile.set(file.path, imports);
      }
      if ([...imports].some((name) => uses(ecosystem, name, manifest.deps))) {
        relations.push({ from: file.path, to: manifest.path, kind: "manifest" });
        related++;
      }
    }
  }
  return relations;
}

export function manifestEcosystem(path: string): Ecosystem | null {
  const base = posix.basename(path);
  if (base === "package.json") return "npm";
  if (base === "pyproject.toml" || /^requirements[^/]*\.(txt|in)$/i.test(base)) return "python";
  if (base === "go.mod") return "go";
  if (base === "Cargo.toml") return "rust";
  return null;
}

function codeEcosystem(path: string): Ecosystem | null {
  if (/\.(tsx?|jsx?|mjs|cjs|mts|cts|vue|svelte)$/.test(path)) return "npm";
  if (path.endsWith(".py")) return "python";
  if (path.endsWith(".go")) return "go";
  if (path.endsWith(".rs")) return "rust";
  return null;
}

const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const NPM_ENTRY = /^\s*"([^"]+)"\s*:\s*"([^"]*)"/;
const NPM_SPEC = /^(\^|~|>|<|=|\*|\d|v\d|workspace:|npm:|file:|link:|git|github:|https?:|latest$|next$)/;
const PY_REQUIREMENT = /^\s*"?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(===?|>=|<=|~=|!=|>|<|@|;|"|,|$)/;
const TOML_KEY = /^\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*=\s*["{]/;
const NOT_DEPENDENCIES = new Set(["name", "version", "description", "readme", "license", "python", "requires-python", "edition", "authors", "homepage"]);
const GO_REQUIRE = /^\s*(?:require\s+)?([a-z0-9][a-z0-9.-]*\.[a-z]{2,}\/[^\s"]+)\s+v\d/;

function newDependencies(ecosystem: Ecosystem, added: readonly string[]): Set<string> {
  const deps = new Set<string>();
  for (const raw of added.slice(0, MAX_SCANNED_LINES)) {
    const line = raw.slice(0, MAX_LINE_CHARS);
    if (ecosystem === "npm") {
      const m = NPM_ENTRY.exec(line);
      if (m && NPM_NAME.test(m[1]!) && NPM_SPEC.test(m[2]!)) deps.add(m[1]!);
    } else if (ecosystem === "python") {
      if (/^\s*(#|-|\[)/.test(line)) continue;
      const m = TOML_KEY.exec(line) ?? PY_REQUIREMENT.exec(line);
      if (m && !NOT_DEPENDENCIES.has(m[1]!.toLowerCase())) deps.add(pythonName(m[1]!));
    } else if (ecosystem === "go") {
      const m = GO_REQUIRE.exec(line);
      if (m) deps.add(m[1]!);
    } else {
      const m = TOML_KEY.exec(line);
      if (m && !NOT_DEPENDENCIES.has(m[1]!)) deps.add(m[1]!.replace(/-/g, "_"));
    }
  }
  return deps;
}

function pythonName(name: string): string {
  return name.toLowerCase().replace(/[-.]/g, "_");
}

const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g;
const PY_IMPORT = /^\s*(?:from\s+([A-Za-z_][\w]*)|import\s+([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*))/;
const GO_IMPORT = /"([a-z0-9][a-z0-9.-]*\.[a-z]{2,}\/[^"\s]+)"/g;
const RUST_USE = /\b(?:use|extern\s+crate)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)::/g;

function importedModules(ecosystem: Ecosystem, added: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const raw of added.slice(0, MAX_SCANNED_LINES)) {
    const line = raw.slice(0, MAX_LINE_CHARS);
    if (ecosystem === "npm") {
      for (const m of line.matchAll(JS_IMPORT)) {
        const parts = m[1]!.split("/");
        names.add(parts[0]!.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
      }
    } else if (ecosystem === "python") {
      const m = PY_IMPORT.exec(line);
      if (m?.[1]) names.add(pythonName(m[1]));
      if (m?.[2]) for (const name of m[2].split(",")) names.add(pythonName(name.trim()));
    } else if (ecosystem === "go") {
      for (const m of line.matchAll(GO_IMPORT)) names.add(m[1]!);
    } else {
      for (const m of line.matchAll(RUST_USE)) names.add((m[1] ?? m[2])!);
    }
  }
  return names;
}

function uses(ecosystem: Ecosystem, imported: string, deps: ReadonlySet<string>): boolean {
  if (ecosystem !== "go") return deps.has(imported);
  for (const dep of deps) if (imported === dep || imported.startsWith(`${dep}/`)) return true;
  return false;
}
