import type { GitHub, PullRef } from "../github/client.js";
import { httpStatus } from "../github/client.js";
import { CollaboratorPermissionSchema } from "./schemas.js";

/**
 * Who may run a command, from the user's permission on the repository as
 * GitHub reports it now. Never from a payload's `author_association`, which
 * says how someone is related to the repository, not what they may change.
 */

export type AccessLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type RequiredAccess = "write" | "read" | "anyone";

const RANK: Readonly<Record<AccessLevel, number>> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const LEVELS = new Set<string>(Object.keys(RANK));

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

export function meetsRequirement(level: AccessLevel, required: RequiredAccess): boolean {
  if (required === "anyone") return true;
  return RANK[level] >= RANK[required];
}
