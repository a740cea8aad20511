import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { ToolInfo } from "./report.js";

const PackageJsonSchema = z.object({
  version: z.string().min(1),
  homepage: z.url().optional(),
});

/** Version and homepage from package.json, which sits two levels up from both src/cli/ and dist/cli/. */
export async function readToolInfo(): Promise<ToolInfo> {
  const raw: unknown = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
  const pkg = PackageJsonSchema.parse(raw);
  return { version: pkg.version, informationUri: pkg.homepage ?? null };
}
