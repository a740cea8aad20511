import { z } from "zod";
import { CommitShaSchema } from "./schemas.js";
import { CommandSourceSchema, type CommandSource } from "./command-replies.js";

/**
 * What Longview follows after it commits a fix: the commit's CI, compared
 * with the head before its first fix, for a bounded number of revision
 * rounds until a deadline. Kept in GitHub itself — a hidden marker ending
 * the answer that announced the commit — so a webhook about that commit's
 * checks, handled by any instance after any restart, finds what to do
 * without other storage. Only Longview's own comments are read for it (the
 * caller checks the author).
 */
export interface CiFollow {
  /** The fix commit whose checks are followed. */
  readonly sha: string;
  /** The pull request's head before Longview's first fix: a check already failing there is not blamed on the fix. */
  readonly base: string;
  /** 1 for the `/agent fix` commit, 2 and up for the revisions made for CI. */
  readonly round: number;
  /** Epoch ms: after this, checks still running end the follow-up with a timeout. */
  readonly deadline: number;
  /** Files Longview's fix commits changed: what a revision may edit first. */
  readonly paths: readonly string[];
  /** Where the fix was asked for, and so where the rounds are reported. */
  readonly source: CommandSource;
  readonly sender: string;
  readonly url: string | null;
}

export const CiFollowSchema: z.ZodType<CiFollow> = z.object({
  sha: CommitShaSchema,
  base: CommitShaSchema,
  round: z.number().int().min(1).max(20),
  deadline: z.number().int().positive(),
  paths: z.array(z.string().min(1).max(1_000)).max(50),
  source: CommandSourceSchema,
  sender: z.string().min(1).max(100),
  url: z.string().max(2_000).nullable(),
});

const PREFIX = "<!-- longview:ci data=";
const SUFFIX = " -->";

/** The hidden line; the JSON is base64url so that nothing in a path can end the comment early. */
export function ciFollowMarker(follow: CiFollow): string {
  return `${PREFIX}${Buffer.from(JSON.stringify(CiFollowSchema.parse(follow))).toString("base64url")}${SUFFIX}`;
}

/**
 * The follow-up a body carries, or null. It counts only where Longview
 * writes it: on a line of its own that is the body's last line, or the last
 * before the answer marker (`answerText` adds that after it).
 */
export function parseCiFollowMarker(body: string | null | undefined): CiFollow | null {
  const lines = (body ?? "")
    .trimEnd()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const candidates = [lines.at(-1), lines.at(-2)].filter((line): line is string => line !== undefined);
  for (const line of candidates) {
    if (!line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) continue;
    const data = line.slice(PREFIX.length, -SUFFIX.length);
    if (!/^[A-Za-z0-9_-]{1,20000}$/.test(data)) return null;
    try {
      const parsed = CiFollowSchema.safeParse(JSON.parse(Buffer.from(data, "base64url").toString("utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  return null;
}
