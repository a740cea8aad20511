/**
 * The verification pass as the test models answer it: requests are told apart
 * by their structured-output format, candidates by the `### F<n>` headings the
 * pass writes. By default every candidate is confirmed, so tests about other
 * stages see their findings posted as before.
 */

export const VERIFICATION_FORMAT = "longview_verification";

/** Candidate ids in a verification request (its JSON body or its user text). */
export function candidateIds(text: string): string[] {
  return [...new Set([...text.matchAll(/### (F\d+)\b/g)].map((m) => m[1]!))];
}

export interface ScriptedVerdict {
  readonly id: string;
  readonly verdict: "confirmed" | "rejected" | "uncertain";
  readonly score: number;
  readonly reason: string;
}

export function confirmAll(text: string, score = 0.9): { verdicts: ScriptedVerdict[] } {
  return { verdicts: candidateIds(text).map((id) => ({ id, verdict: "confirmed", score, reason: "the cited code does what the finding says" })) };
}

/**
 * The structured-output format of a request body, for both APIs: the strict schema's name, or, in JSON mode
 * and plain text (no schema sent), the name the instructions give the answer object.
 */
export function formatOf(body: unknown): string | null {
  const b = body as {
    text?: { format?: { name?: string } };
    response_format?: { json_schema?: { name?: string } };
    instructions?: unknown;
    messages?: { role?: string; content?: unknown }[];
  };
  const strict = b.text?.format?.name ?? b.response_format?.json_schema?.name;
  if (strict !== undefined) return strict;
  const system = b.messages?.find((m) => m.role === "system")?.content ?? b.instructions;
  return typeof system === "string" ? (/The object is named "([\w-]+)"/.exec(system)?.[1] ?? null) : null;
}
