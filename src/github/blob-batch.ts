import { z } from "zod";
import type { GitHub, PullRef } from "./client.js";
import { toGitHubError } from "./errors.js";
import { CommitShaSchema } from "./schemas.js";

/**
 * Many blobs' texts in one GraphQL request (`object(oid:)` under aliases),
 * where REST takes one request each. Only whole UTF-8 texts come back: a blob
 * GraphQL has no text for (binary), cut short or cannot find is null, and
 * read through REST as before.
 */

/** At most this many blobs in one query (GitHub bounds a query's cost; a small change has a handful). */
export const MAX_BATCHED_BLOBS = 50;

const BatchedBlob = z
  .object({
    text: z.string().nullable().optional(),
    isBinary: z.boolean().nullable().optional(),
    isTruncated: z.boolean().optional(),
    byteSize: z.number().int().nonnegative().optional(),
  })
  .nullable();

const BlobsDataSchema = z.object({ repository: z.record(z.string(), BatchedBlob) });

function blobsQuery(count: number): string {
  const ids = Array.from({ length: count }, (_, i) => `$f${i}: GitObjectID!`).join(", ");
  const fields = Array.from({ length: count }, (_, i) => `f${i}: object(oid: $f${i}) { ... on Blob { text isBinary isTruncated byteSize } }`).join("\n    ");
  return `query LongviewBlobs($owner: String!, $name: String!, ${ids}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
}

/** The bytes of each blob GraphQL returned whole, by id; null for the rest. Throws (as a GitHubError) when the request fails. */
export async function readBlobsBatched(
  gh: GitHub,
  repo: Pick<PullRef, "owner" | "repo">,
  shas: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Buffer | null>> {
  const ids = [...new Set(shas)].filter((sha) => CommitShaSchema.safeParse(sha).success).slice(0, MAX_BATCHED_BLOBS);
  const variables: Record<string, string> = { owner: repo.owner, name: repo.repo };
  ids.forEach((sha, i) => (variables[`f${i}`] = sha));
  let raw: unknown;
  try {
    raw = await gh.graphql(blobsQuery(ids.length), { ...variables, request: { signal } });
  } catch (error) {
    throw toGitHubError(error);
  }
  const data = BlobsDataSchema.parse(raw).repository;
  const out = new Map<string, Buffer | null>();
  ids.forEach((sha, i) => {
    const blob = data[`f${i}`] ?? null;
    if (!blob || blob.isBinary !== false || blob.isTruncated !== false || typeof blob.text !== "string") return out.set(sha, null);
    const bytes = Buffer.from(blob.text, "utf8");
    // Text GitHub had to re-encode (not UTF-8) is not the blob: REST gives its bytes.
    out.set(sha, bytes.length === blob.byteSize ? bytes : null);
  });
  return out;
}
