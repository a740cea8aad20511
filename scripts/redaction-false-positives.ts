/**
 * How often the redactor's token shapes match ordinary code: runs them over
 * every JavaScript/TypeScript file under a directory (node_modules by default,
 * millions of lines of third-party code with no real live keys) and prints
 * the matches per kind, with a few samples each.
 *
 *   npx tsx scripts/redaction-false-positives.ts [dir] [--samples N]
 *
 * Every match is listed for review: a test key in a package's own tests is a
 * true positive (a secret shape), a minified identifier is a false positive.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { tokenPatternRanges } from "../src/redact/token-patterns.js";

const EXTENSIONS = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|py|go|java|rb|json|ya?ml)$/;
/** Larger files are generated bundles; they are read anyway, up to this size. */
const MAX_BYTES = 5_000_000;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && EXTENSIONS.test(entry.name)) yield path;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const dir = argv.find((a) => !a.startsWith("--")) ?? "node_modules";
  const samplesAt = argv.indexOf("--samples");
  const maxSamples = samplesAt === -1 ? 5 : Number(argv[samplesAt + 1]);
  let fileCount = 0;
  let lineCount = 0;
  let bytes = 0;
  const byKind = new Map<string, { count: number; samples: string[] }>();
  const started = performance.now();
  for await (const path of files(dir)) {
    if ((await stat(path)).size > MAX_BYTES) continue;
    const text = await readFile(path, "utf8");
    fileCount++;
    bytes += text.length;
    lineCount += text.split("\n").length;
    for (const range of tokenPatternRanges(text)) {
      const entry = byKind.get(range.kind) ?? { count: 0, samples: [] };
      entry.count++;
      if (entry.samples.length < maxSamples) {
        const lineStart = text.lastIndexOf("\n", range.start) + 1;
        const context = text.slice(Math.max(lineStart, range.start - 40), Math.min(range.end + 20, range.start + 160)).replace(/\s+/g, " ");
        entry.samples.push(`${path}: ${context}`);
      }
      byKind.set(range.kind, entry);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${fileCount} files, ${lineCount} lines, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  const total = [...byKind.values()].reduce((n, e) => n + e.count, 0);
  console.log(`${total} matches`);
  for (const [kind, { count, samples }] of [...byKind].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`\n${kind}: ${count}`);
    for (const sample of samples) console.log(`  ${sample}`);
  }
}

await main(process.argv.slice(2));
