import type { z } from "zod";
import { GitHubApiError } from "../errors.js";

/**
 * Typed view of a request body. The OpenAPI check has already run (when on);
 * zod guards the fields a route reads, so a route never trusts an unchecked value.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `For '${issue.path.join("/") || "body"}', ${issue.message}.`);
  throw new GitHubApiError(422, { message: `Invalid request.\n\n${issues.join("\n")}` });
}
