import { z } from "zod";
import type { GitHub, PullRef } from "./client.js";
import { httpStatus } from "./client.js";

/**
 * A user's permission on a repository as GitHub reports it now. Never from a
 * payload's `author_association`, which says how someone is related to the
 * repository, not what they may change.
 */

export type AccessLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export const ACCESS_LEVELS: readonly AccessLevel[] = ["none", "read", "triage", "write", "maintain", "admin"];

/** `GET /repos/{o}/{r}/collaborators/{user}/permission`. */
const CollaboratorPermissionSchema = z.object({
  /** Legacy base permission: admin, write, read or none (maintain → write, triage → read). */
  permission: z.string(),
  /** The role: admin, maintain, write, triage, read, or a custom role's name. */
  role_name: z.string().optional(),
});

const LEVELS = new Set<string>(ACCESS_LEVELS);

export async function repositoryAccess(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, username: string): Promise<AccessLevel> {
  try {
    const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username });
    const { role_name, permission } = CollaboratorPermissionSchema.parse(data);
    // Custom roles have their own names; their base permission is in `permission`.
    if (role_name !== undefined && LEVELS.has(role_name)) return role_name as AccessLevel;
    return LEVELS.has(permission) ? (permission as AccessLevel) : "none";
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}
