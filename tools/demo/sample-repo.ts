import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CreatedPullRequest, Simulator } from "../github-simulator/index.js";

/**
 * The bundled sample: `orders-api`, a small Express + PostgreSQL service, and
 * a pull request that adds features with a real bug (NaN comparison), a
 * security flaw (SQL injection, open redirect) and a performance problem
 * (a query per order in a loop).
 */

const SAMPLE = fileURLToPath(new URL("./sample/", import.meta.url));
export const SAMPLE_REPO = "acme/orders-api";

export async function createSamplePullRequest(sim: Simulator): Promise<CreatedPullRequest> {
  const [base, head, description] = await Promise.all([
    readTree(join(SAMPLE, "base")),
    readTree(join(SAMPLE, "head")),
    readFile(fileURLToPath(new URL("./pull-request.md", import.meta.url)), "utf8"),
  ]);
  await sim.createRepo({
    owner: "acme",
    name: "orders-api",
    commits: [{ message: "orders-api 1.4.0", files: base }],
    branches: { "feature/search-and-export": { commits: [{ message: "Add order search, bulk discounts and export", files: changedFiles(base, head) }] } },
  });
  const [title = "", ...body] = description.split("\n");
  return sim.createPullRequest({
    repo: SAMPLE_REPO,
    head: "feature/search-and-export",
    base: "main",
    title,
    body: body.join("\n").trim(),
    user: "octo-dev",
  });
}

async function readTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path, "utf8");
  }
  return files;
}

function changedFiles(base: Record<string, string>, head: Record<string, string>): Record<string, string | null> {
  const changed: Record<string, string | null> = {};
  for (const [path, content] of Object.entries(head)) if (base[path] !== content) changed[path] = content;
  for (const path of Object.keys(base)) if (!(path in head)) changed[path] = null;
  return changed;
}
